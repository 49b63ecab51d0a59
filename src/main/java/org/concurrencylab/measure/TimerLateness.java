package org.concurrencylab.measure;

import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * How late an event loop runs its timers: a timer re-armed every {@code periodMs} that records, each time it
 * fires, how long after its due time it did (the Python peers' 1 ms ticker, in Vert.x). Start it on the loop
 * to watch (inside a callback of that loop's context); it measures whatever else that loop is doing meanwhile.
 */
public final class TimerLateness {

  private final Vertx vertx;
  private final long periodMs;
  private final Latencies lateness = new Latencies();
  private volatile boolean stopped;

  private TimerLateness(Vertx vertx, long periodMs) {
    this.vertx = vertx;
    this.periodMs = periodMs;
  }

  /** Starts ticking on the current context's event loop. */
  public static TimerLateness start(Vertx vertx, long periodMs) {
    TimerLateness ticker = new TimerLateness(vertx, periodMs);
    ticker.arm();
    return ticker;
  }

  private void arm() {
    long armed = System.nanoTime();
    vertx.setTimer(periodMs, id -> {
      if (!stopped) {
        lateness.recordNanos(System.nanoTime() - armed - TimeUnit.MILLISECONDS.toNanos(periodMs));
        arm();
      }
    });
  }

  /** Stops re-arming; the lateness recorded so far stays readable. */
  public void stop() {
    stopped = true;
  }

  /** The lateness of every tick so far (a tick on time counts as the histogram's 1 µs floor). */
  public Latencies lateness() {
    return lateness;
  }
}
