package org.concurrencylab.chat;

import io.vertx.core.Future;

/**
 * A member's bounded outgoing queue: the bytes handed to its socket that the socket has not yet written to
 * the kernel. A batch that would take it over the limit is not queued; the shard drops the member instead,
 * so a reader that falls behind holds at most the limit, whatever the room says. Event-loop confined.
 */
final class Outbox {

  private final long limit;
  private final ChatStats stats;
  private long queued;

  Outbox(long limit, ChatStats stats) {
    this.limit = limit;
    this.stats = stats;
  }

  /**
   * Queues {@code length} bytes with {@code write} (the socket write), unless that would pass the limit.
   * Returns false, writing nothing, in that case.
   */
  boolean offer(int length, java.util.function.Supplier<Future<Void>> write) {
    if (queued + length > limit) {
      return false;
    }
    queued += length;
    stats.outbox(queued);
    write.get().onComplete(written -> queued -= length);
    return true;
  }
}
