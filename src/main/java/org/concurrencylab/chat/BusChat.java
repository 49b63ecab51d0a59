package org.concurrencylab.chat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The chat room on the event bus, for clients that are neither TCP nor WebSocket users: the Python client of
 * the TCP bridge, say. One per node, with a {@link RoomShard} of its own.
 *
 * <ol>
 *   <li>The client picks a session id and registers {@code chat.lines.<session>}, where the room's lines will
 *   come (so it misses none, the welcome included).</li>
 *   <li>{@code chat.bus.join {user, session}} puts it in the room: {@code {user, session, online, say}};
 *   400 bad name or session id, 409 {@code Username taken} or session in use, 503 the room is full.</li>
 *   <li>{@code chat.say.<session>} with {@code {line}} says a line ({@code {said: true}}); with
 *   {@code {leave: true}} leaves ({@code {left: true}}). 404 once the session has ended, 400 a bad line.</li>
 * </ol>
 * A session that says nothing for {@code chat_idle_timeout_s} is disconnected, like any user.
 */
final class BusChat extends VerticleBase {

  static final String JOIN = "chat.bus.join";
  private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{8,64}");

  private final ChatSettings settings;
  private final Map<String, Session> sessions = new HashMap<>();
  private RoomShard shard;

  BusChat(ChatSettings settings) {
    this.settings = settings;
  }

  static String linesAddress(String session) {
    return "chat.lines." + session;
  }

  static String sayAddress(String session) {
    return "chat.say." + session;
  }

  @Override
  public Future<?> start() {
    shard = new RoomShard(vertx, settings, ChatStats.of(vertx));
    return shard.start().compose(v -> Bus.serve(vertx, JOIN, this::join));
  }

  private Future<JsonObject> join(Message<Object> message) {
    JsonObject request = Bus.jsonBody(message);
    String user = request.getValue("user") instanceof String name ? name.strip() : "";
    String session = request.getValue("session") instanceof String id ? id : "";
    if (!SESSION.matcher(session).matches()) {
      throw Failure.BAD_REQUEST.exception("session must be 8 to 64 of A-Z a-z 0-9 _ -");
    }
    String problem = ChatProtocol.usernameProblem(user);
    if (problem != null) {
      shard.stats().refusedBadName.increment();
      throw Failure.BAD_REQUEST.exception(problem);
    }
    if (sessions.containsKey(session)) {
      throw Failure.CONFLICT.exception("session " + session + " is in use");
    }
    BusMember member = new BusMember(vertx.eventBus(), user, session, () -> end(session));
    Session entry = new Session(member, Bus.register(vertx, sayAddress(session), said -> say(session, said)));
    sessions.put(session, entry);
    shard.track(member);
    return entry.consumer.completion()
      .compose(v -> shard.join(member, user, "bus"))
      .transform(joined -> {
        if (joined.failed()) {
          end(session);
          shard.depart(member);
          String reason = joined.cause().getMessage();
          Failure code = reason.equals(ChatProtocol.USERNAME_TAKEN) ? Failure.CONFLICT
            : reason.startsWith("Chat is full") ? Failure.UNAVAILABLE : Failure.BAD_REQUEST;
          return Future.failedFuture(code.exception(reason));
        }
        return Future.succeededFuture(new JsonObject().put("user", user).put("session", session)
          .put("online", shard.onlineHere()).put("say", sayAddress(session)).put("lines", linesAddress(session)));
      });
  }

  private Future<JsonObject> say(String session, Message<Object> message) {
    Session entry = sessions.get(session);
    if (entry == null || entry.member.closed()) {
      throw Failure.NOT_FOUND.exception("session " + session + " has ended");
    }
    JsonObject request = Bus.jsonBody(message);
    if (request.getBoolean("leave", false)) {
      end(session);
      return shard.depart(entry.member).map(new JsonObject().put("left", true));
    }
    if (!(request.getValue("line") instanceof String text)) {
      throw Failure.BAD_REQUEST.exception("line (a string) or leave: true is required");
    }
    Buffer line = Buffer.buffer(text.getBytes(StandardCharsets.UTF_8));
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      throw Failure.BAD_REQUEST.exception("a line has no line breaks: say one line per request");
    }
    if (line.length() > ChatProtocol.MAX_LINE_BYTES) {
      throw Failure.BAD_REQUEST.exception(ChatProtocol.LINE_TOO_LONG);
    }
    entry.member.heard();
    shard.say(entry.member.speakerPrefix(), line);
    return Future.succeededFuture(new JsonObject().put("said", true));
  }

  /** Forgets a session: its say address goes away. The member leaves the room through the shard. Idempotent. */
  private void end(String session) {
    Session entry = sessions.remove(session);
    if (entry != null) {
      entry.consumer.unregister();
    }
  }

  @Override
  public Future<?> stop() {
    sessions.keySet().stream().toList().forEach(this::end);
    return shard.stop();
  }

  private record Session(BusMember member, MessageConsumer<Object> consumer) {
  }
}
