package org.concurrencylab.blocking;

import io.vertx.core.Context;

/**
 * A timer due every {@value #PERIOD_MS} ms on one event loop, recording the longest gap between two ticks:
 * the time the loop could not run other work. Start and stop it on the loop's context.
 */
final class LoopTicker {

  static final long PERIOD_MS = 10;

  private final Context context;
  private long timer = -1;
  private long last;
  private long longestGapNanos;

  LoopTicker(Context context) {
    this.context = context;
  }

  /** Starts ticking; call on the context. */
  void start() {
    last = System.nanoTime();
    longestGapNanos = 0;
    timer = context.owner().setPeriodic(PERIOD_MS, id -> {
      long now = System.nanoTime();
      longestGapNanos = Math.max(longestGapNanos, now - last);
      last = now;
    });
  }

  /** Stops ticking and returns the longest gap in ms, counting the one up to now; call on the context. */
  double stop() {
    context.owner().cancelTimer(timer);
    longestGapNanos = Math.max(longestGapNanos, System.nanoTime() - last);
    return longestGapNanos / 1e6;
  }
}
