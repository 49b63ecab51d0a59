package org.concurrencylab.chat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Who is online in the room, cluster-wide: one per node. It keeps usernames unique across the cluster and
 * counts users for the welcome line, and it notices when a node dies so that its users are seen leaving.
 * When it starts it deploys the node's TCP servers as its children, so they stop before it does.
 *
 * <p>The room's roster is a shared-data map {@code chat.users.<room>}: username -> the presence id of the
 * node the user is on. {@code putIfAbsent} makes a name unique cluster-wide, and the map's size is the
 * online count. On a single node the map is a local one and nothing else below happens.
 *
 * <p>A node that dies cannot say its users left, so the survivors do it. Each node keeps a heartbeat entry
 * {@code chat.presence.<room>}: presence id -> node name, written every second with a 5 s time-to-live.
 * Every second each node reads the live presence ids; when one it knew disappears, it sweeps the roster and
 * removes that node's users, each with {@code removeIfPresent}, so exactly one survivor announces each leave.
 * Heartbeats were chosen over the cluster manager's node-left notification because Vert.x gives that
 * notification to one listener only (its own HA manager), and because they also catch a node whose chat
 * stopped answering while its cluster member lives on. They use public shared-data calls only, so any
 * cluster manager works.
 */
public final class RoomRegistry extends VerticleBase {

  /** {@code {room, user, via}} -> {@code {room, user, online}}; 400 bad name, 409 taken, 503 full. */
  public static final String JOIN = "chat.join";
  /** {@code {room, user}} -> {@code {room, user, left}}. */
  public static final String LEAVE = "chat.leave";

  static final long HEARTBEAT_MS = 1_000;
  static final long PRESENCE_TTL_MS = 5_000;
  static final long MAP_TIMEOUT_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(RoomRegistry.class);

  private final ChatSettings settings;
  private final String node;
  private final String presence = UUID.randomUUID().toString();
  /** The users of this node and how they came (tcp, websocket). */
  private final Map<String, String> here = new HashMap<>();
  private final String room = ChatSettings.ROOM;
  private AsyncMap<String, String> roster;
  private AsyncMap<String, String> presences;
  private Set<String> knownPresences = Set.of();
  private long heartbeatTimer = -1;
  private boolean sweeping;
  private volatile int onlineCached;

  public RoomRegistry(ChatSettings settings, String node) {
    this.settings = settings;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    ChatStats stats = ChatStats.of(vertx);
    return vertx.sharedData().<String, String>getAsyncMap("chat.users." + room)
      .compose(map -> {
        roster = map;
        return vertx.sharedData().<String, String>getAsyncMap("chat.presence." + room);
      })
      .compose(map -> {
        presences = map;
        return vertx.isClustered() ? startHeartbeat() : Future.succeededFuture();
      })
      .compose(v -> Future.all(
        serveLocally(JOIN, this::join),
        serveLocally(LEAVE, this::leave)))
      .compose(v -> deployServers())
      .compose(port -> {
        log.info("chat on tcp://{}:{} ({} event loops)", settings.host(), port, settings.serverInstances());
        return ServiceStatus.serve(vertx, "chat", node, new JsonArray()
            .add(ServiceStatus.endpoint("tcp", "tcp://" + settings.host() + ":" + port))
            .add(ServiceStatus.endpoint("websocket", "/chat?user=NAME on the HTTP server")),
          () -> stats.snapshot()
            .put("room", room)
            .put("online", onlineCached)
            .put("here", here.size())
            .put("node_presence", presence));
      });
  }

  /**
   * One TCP server verticle per event loop. The first one binds; the others share its actual port, so port 0
   * (tests) gives one random port for all of them.
   */
  private Future<Integer> deployServers() {
    AtomicInteger port = new AtomicInteger(settings.port());
    return vertx.deployVerticle(() -> new TcpChatServer(settings, port), new DeploymentOptions())
      .compose(first -> settings.serverInstances() == 1 ? Future.succeededFuture()
        : vertx.deployVerticle(() -> new TcpChatServer(settings, port),
          new DeploymentOptions().setInstances(settings.serverInstances() - 1)))
      .map(ignored -> port.get());
  }

  /** Join and leave are node-local: the registry records the node a user's connection lives on. */
  private Future<Void> serveLocally(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>localConsumer(address, message -> {
      Future<JsonObject> reply;
      try {
        reply = handler.apply(Bus.jsonBody(message));
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onComplete(message::reply, failure -> fail(message, failure));
    }).completion();
  }

  private static void fail(Message<?> message, Throwable failure) {
    Failure code = Failure.of(failure);
    if (code == Failure.INTERNAL) {
      log.warn("{} failed", message.address(), failure);
    }
    message.fail(code.code(), Failure.describe(failure));
  }

  private Future<JsonObject> join(JsonObject request) {
    String user = request.getString("user");
    String problem = ChatProtocol.usernameProblem(user);
    if (problem != null) {
      throw Failure.BAD_REQUEST.exception(problem);
    }
    String via = request.getString("via", "tcp");
    return roster.putIfAbsent(user, presence).timeout(MAP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .compose(previous -> {
        if (previous != null) {
          return Future.failedFuture(Failure.CONFLICT.exception(ChatProtocol.USERNAME_TAKEN));
        }
        here.put(user, via);
        return roster.size().timeout(MAP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .compose(size -> {
            if (size > settings.maxUsers()) {
              // Checked after the insert: concurrent joins may both be refused, never both let in over the limit.
              here.remove(user);
              return roster.removeIfPresent(user, presence)
                .transform(removed -> Future.failedFuture(
                  Failure.UNAVAILABLE.exception(ChatProtocol.full(settings.maxUsers()))));
            }
            onlineCached = size;
            return Future.succeededFuture(new JsonObject().put("room", room).put("user", user).put("online", size));
          });
      });
  }

  private Future<JsonObject> leave(JsonObject request) {
    String user = request.getString("user", "");
    here.remove(user);
    return roster.removeIfPresent(user, presence).timeout(MAP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .map(left -> {
        if (left) {
          onlineCached = Math.max(0, onlineCached - 1);
        }
        return new JsonObject().put("room", room).put("user", user).put("left", left);
      });
  }

  // ---- cluster: heartbeats, and the users of nodes that died ----

  private Future<Void> startHeartbeat() {
    return presences.put(presence, node, PRESENCE_TTL_MS)
      .compose(v -> sweep())
      .onSuccess(v -> heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat()));
  }

  private void heartbeat() {
    presences.keys()
      .compose(live -> {
        boolean lapsed = !live.contains(presence);
        Set<String> before = knownPresences;
        knownPresences = live;
        Future<Void> refreshed = presences.put(presence, node, PRESENCE_TTL_MS);
        if (lapsed) {
          log.warn("this node's chat heartbeat lapsed; claiming its {} users again", here.size());
          refreshed = refreshed.compose(v -> claimAgain());
        }
        boolean someoneLeft = before.stream().anyMatch(p -> !live.contains(p));
        return someoneLeft ? refreshed.compose(v -> sweep()) : refreshed;
      })
      .onSuccess(v -> refreshOnline())
      .onFailure(failure -> log.warn("chat heartbeat failed: {}", Failure.describe(failure)));
  }

  /**
   * Removes the users of every node without a heartbeat and announces their leave. The roster is read before
   * the heartbeats: a user in it was added after its node's first heartbeat, so a live node is never swept.
   */
  private Future<Void> sweep() {
    if (sweeping) {
      return Future.succeededFuture();
    }
    sweeping = true;
    return roster.entries()
      .compose(entries -> presences.keys().compose(live -> {
        List<Future<Void>> removals = new ArrayList<>();
        for (Map.Entry<String, String> entry : entries.entrySet()) {
          String owner = entry.getValue();
          if (!owner.equals(presence) && !live.contains(owner)) {
            String user = entry.getKey();
            removals.add(roster.removeIfPresent(user, owner).map(removed -> {
              if (removed) {
                log.info("{} was on a node that left; announcing the leave", ChatProtocol.printable(user));
                publish(ChatProtocol.left(user));
              }
              return null;
            }));
          }
        }
        return Future.join(removals).<Void>mapEmpty();
      }))
      .timeout(MAP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .onComplete(done -> sweeping = false);
  }

  /** After a heartbeat lapse other nodes may have swept this node's users: put them back and re-announce them. */
  private Future<Void> claimAgain() {
    List<Future<Void>> claims = new ArrayList<>();
    for (String user : new HashSet<>(here.keySet())) {
      claims.add(roster.putIfAbsent(user, presence).map(previous -> {
        if (previous == null) {
          publish(ChatProtocol.connected(user));
        } else if (!previous.equals(presence)) {
          log.warn("{} was taken by another node during the lapse", ChatProtocol.printable(user));
        }
        return null;
      }));
    }
    return Future.join(claims).mapEmpty();
  }

  private void refreshOnline() {
    roster.size().onSuccess(size -> onlineCached = size);
  }

  /** A line from the registry itself to every shard of every node. */
  private void publish(Buffer line) {
    vertx.eventBus().publish(RoomShard.address(room), line,
      new DeliveryOptions().addHeader(RoomShard.ORIGIN, presence).addHeader(RoomShard.LINES, "1"));
  }

  /**
   * Runs after the TCP servers (children) stopped and their users left. Users still listed here (WebSocket
   * users whose HTTP server is stopping too) are removed and announced; then the heartbeat goes.
   */
  @Override
  public Future<?> stop() {
    if (heartbeatTimer >= 0) {
      vertx.cancelTimer(heartbeatTimer);
    }
    List<Future<Void>> removals = new ArrayList<>();
    for (String user : new HashSet<>(here.keySet())) {
      removals.add(roster.removeIfPresent(user, presence).map(removed -> {
        if (removed) {
          publish(ChatProtocol.left(user));
        }
        return null;
      }));
    }
    here.clear();
    Future<Void> gone = vertx.isClustered() ? presences.remove(presence).mapEmpty() : Future.succeededFuture();
    return Future.join(removals).transform(v -> gone)
      .timeout(MAP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .recover(failure -> {
        log.warn("the chat roster could not be cleaned up: {}", Failure.describe(failure));
        return Future.succeededFuture();
      });
  }
}
