package org.concurrencylab.eventloop;

/**
 * A callback set to run at a deadline ({@link SelectorLoop#callLater}): asyncio's {@code TimerHandle}.
 * Ordered by deadline, then by the order timers were set.
 */
public final class TimerHandle implements Comparable<TimerHandle> {

  final long deadlineNanos;
  private final long sequence;
  final Runnable callback;
  private volatile boolean cancelled;

  TimerHandle(long deadlineNanos, long sequence, Runnable callback) {
    this.deadlineNanos = deadlineNanos;
    this.sequence = sequence;
    this.callback = callback;
  }

  /** The timer will not run (a no-op once it has). */
  public void cancel() {
    cancelled = true;
  }

  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public int compareTo(TimerHandle other) {
    int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
    return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
  }
}
