package org.concurrencylab.chat;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * One user in a {@link RoomShard}: a TCP socket, a WebSocket, or a session on the bus. Every method runs on the shard's event
 * loop.
 */
public interface Member {

  /** The username once the connection said {@code CONNECT}, else null. */
  String username();

  /** {@link System#nanoTime()} of the last line this connection sent (or of its arrival). */
  long lastHeardNanos();

  /**
   * Queues a batch of lines for the connection. Returns false, queuing nothing, when the batch would take the
   * connection's unsent chat over its limit: the shard then drops it as too slow.
   */
  boolean deliver(Batch batch);

  /** Sends {@code reason} as a last line and closes; the shard has already taken the member out of the room. */
  void disconnect(String reason);

  /**
   * Lines going out to every member of a shard: encoded once, and the same bytes written to every socket.
   * A WebSocket needs them as text, decoded once on first use.
   */
  final class Batch {
    final Buffer bytes;
    final int lines;
    private String text;

    public Batch(Buffer bytes, int lines) {
      this.bytes = bytes;
      this.lines = lines;
    }

    /** One line of text (no newline given) as a batch. */
    static Batch ofLine(String line) {
      return new Batch(ChatProtocol.line(line), 1);
    }

    public Buffer bytes() {
      return bytes;
    }

    public String text() {
      if (text == null) {
        text = bytes.toString(StandardCharsets.UTF_8);
      }
      return text;
    }
  }
}
