package org.concurrencylab.chat;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One user in the room over the event bus (through the TCP bridge, from Python say): the same rules as a TCP
 * user (unique name, line limit, idle timeout). What the room says is sent to {@code chat.lines.<session>} as
 * {@code {lines: [...]}}; the last message, when the user is disconnected, also has {@code closed: true}.
 *
 * <p>Lines leave with {@code send}, which never blocks the room: a client that went away without leaving has no
 * consumer, its lines are dropped, and the idle timeout takes it out of the room. The bridge, not the room,
 * disconnects a client that does not read what it was sent.
 */
final class BusMember implements Member {

  private final EventBus bus;
  private final String username;
  private final String linesAddress;
  private final byte[] speakerPrefix;
  private final Runnable onClose;
  private long lastHeard = System.nanoTime();
  private boolean closed;

  /** @param onClose run once when the room disconnects the member (idle, shutdown) */
  BusMember(EventBus bus, String username, String session, Runnable onClose) {
    this.bus = bus;
    this.onClose = onClose;
    this.username = username;
    this.linesAddress = BusChat.linesAddress(session);
    this.speakerPrefix = ChatProtocol.speakerPrefix(username);
  }

  byte[] speakerPrefix() {
    return speakerPrefix;
  }

  void heard() {
    lastHeard = System.nanoTime();
  }

  boolean closed() {
    return closed;
  }

  @Override
  public String username() {
    return username;
  }

  @Override
  public long lastHeardNanos() {
    return lastHeard;
  }

  @Override
  public boolean deliver(Batch batch) {
    if (!closed) {
      bus.send(linesAddress, new JsonObject().put("lines", lines(batch.text())));
    }
    return true;
  }

  @Override
  public void disconnect(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    bus.send(linesAddress, new JsonObject().put("lines", new JsonArray().add(reason)).put("closed", true));
    onClose.run();
  }

  /** The lines of a batch, without their newlines. */
  private static JsonArray lines(String text) {
    JsonArray lines = new JsonArray();
    int start = 0;
    for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      lines.add(text.substring(start, end));
      start = end + 1;
    }
    if (start < text.length()) {
      lines.add(text.substring(start));
    }
    return lines;
  }
}
