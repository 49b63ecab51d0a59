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
 * <p>The roster is a shared-data map {@code chat.users.<room>}: username -> the presence id of the node the
 * user is on. {@code putIfAbsent} makes a name unique cluster-wide, and the map's size is the online count.
 * On a single node it is a local map and nothing else below happens.
 *
 * <p>A node that dies cannot say its users left, so the survivors do it. Every node publishes a heartbeat on
 * {@code chat.presence.<room>} each second, with its users whenever they changed (and every few beats). A
 * node not heard from for 5 s is dead: the survivor with the smallest presence id announces its users'
 * leaves, from the last list the dead node sent, and every survivor claims its own users' names again.
 * The user lists travel with the heartbeats rather than being read back from the roster because a cluster
 * member that dies can take roster partitions with it (Hazelcast lost them in our node-death test); the
 * heartbeats do not depend on what the dead member held. They were chosen over the cluster manager's
 * node-left notification because Vert.x hands that notification to one listener only (its own HA manager),
 * and because they also catch a node whose chat stopped while its cluster member lives on. They use the
 * public event bus only, so any cluster manager works.
 */
public final class RoomRegistry extends VerticleBase {

  /** {@code {room, user, via}} -> {@code {room, user, online}}; 400 bad name, 409 taken, 503 full. */
  public static final String JOIN = "chat.join";
  /** {@code {room, user}} -> {@code {room, user, left}}. */
  public static final String LEAVE = "chat.leave";

  static final long HEARTBEAT_MS = 1_000;
  static final long PRESENCE_TTL_MS = 5_000;
  static final int FULL_BEAT_EVERY = 5;
  static final long MAP_TIMEOUT_MS = 5_000;
  /** At most this many of the node's usernames in {@code chat.status} (the dashboard shows them). */
  static final int STATUS_USERS = 50;

  private static final Logger log = LoggerFactory.getLogger(RoomRegistry.class);

  private final ChatSettings settings;
  private final String node;
  private final String presence = UUID.randomUUID().toString();
  /** The users of this node and how they came (tcp, websocket). */
  private final Map<String, String> here = new HashMap<>();
  private final String room = ChatSettings.ROOM;
  private AsyncMap<String, String> roster;
  /** The other nodes of the room, by presence id, as their heartbeats describe them. */
  private final Map<String, Peer> peers = new HashMap<>();
  private boolean hereChanged;
  private long beats;
  private long heartbeatTimer = -1;
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
            .put("users", new JsonArray(here.keySet().stream().sorted().limit(STATUS_USERS).toList()))
            .put("other_nodes", otherNodes()));
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
        hereChanged = true;
        return roster.size().timeout(MAP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
          .compose(size -> {
            if (size > settings.maxUsers()) {
              // Checked after the insert: concurrent joins may both be refused, never both let in over the limit.
              here.remove(user);
              hereChanged = true;
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
    hereChanged = true;
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
    return vertx.eventBus().<JsonObject>consumer(presenceAddress(), message -> heard(message.body()))
      .completion()
      .onSuccess(v -> heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat()));
  }

  private String presenceAddress() {
    return "chat.presence." + room;
  }

  /**
   * Says this node is alive, with its users when they changed since the last beat (and every few beats, so a
   * node that just started learns them); then looks for nodes that went quiet.
   */
  private void heartbeat() {
    beats++;
    JsonObject beat = new JsonObject().put("presence", presence).put("node", node);
    if (hereChanged || beats % FULL_BEAT_EVERY == 0) {
      hereChanged = false;
      beat.put("users", new JsonArray(new ArrayList<>(here.keySet())));
    }
    vertx.eventBus().publish(presenceAddress(), beat);
    long now = System.nanoTime();
    List<Peer> dead = peers.values().stream()
      .filter(peer -> now - peer.lastHeard > TimeUnit.MILLISECONDS.toNanos(PRESENCE_TTL_MS)).toList();
    if (!dead.isEmpty()) {
      dead.forEach(peer -> peers.remove(peer.presence));
      buried(dead);
    }
    refreshOnline();
  }

  private void heard(JsonObject beat) {
    String from = beat.getString("presence");
    if (presence.equals(from)) {
      return;
    }
    Peer peer = peers.get(from);
    if (peer == null) {
      peer = new Peer(from);
      peers.put(from, peer);
      log.info("node {} is in the room", beat.getString("node"));
    }
    peer.node = beat.getString("node");
    peer.lastHeard = System.nanoTime();
    JsonArray users = beat.getJsonArray("users");
    if (users != null) {
      peer.users = users.stream().map(String.class::cast).collect(java.util.stream.Collectors.toSet());
    }
  }

  /**
   * Nodes that stopped beating. One survivor, the one with the smallest presence id, announces their users'
   * leaves (and takes them off the roster); every survivor then claims its own users' names again, since a
   * dead cluster member may have taken part of the roster with it.
   */
  private void buried(List<Peer> dead) {
    boolean announcer = peers.keySet().stream().allMatch(other -> presence.compareTo(other) < 0);
    for (Peer peer : dead) {
      log.info("node {} stopped answering; {} of its users leave", peer.node, peer.users.size());
      if (announcer) {
        for (String user : peer.users) {
          roster.removeIfPresent(user, peer.presence);
          publish(ChatProtocol.left(user));
        }
      }
    }
    for (String user : new HashSet<>(here.keySet())) {
      roster.putIfAbsent(user, presence).onSuccess(previous -> {
        if (previous != null && !previous.equals(presence)) {
          log.warn("{} is claimed by another node too", ChatProtocol.printable(user));
        }
      });
    }
  }

  /** {@code {node: users}} of the other nodes in the room, as their heartbeats said. */
  private JsonObject otherNodes() {
    JsonObject nodes = new JsonObject();
    peers.values().forEach(peer -> nodes.put(peer.node, peer.users.size()));
    return nodes;
  }

  private void refreshOnline() {
    roster.size().onSuccess(size -> onlineCached = size);
  }

  /** What this node knows of another node of the room. */
  private static final class Peer {
    final String presence;
    String node = "?";
    long lastHeard = System.nanoTime();
    Set<String> users = Set.of();

    Peer(String presence) {
      this.presence = presence;
    }
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
    ChatStats.forget(vertx);
    return Future.join(removals)
      .timeout(MAP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .recover(failure -> {
        log.warn("the chat roster could not be cleaned up: {}", Failure.describe(failure));
        return Future.succeededFuture();
      });
  }
}
