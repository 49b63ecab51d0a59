package org.concurrencylab.basics.demo;

import io.vertx.core.Vertx;

/**
 * A periodic timer that measures itself: how much later than its period each tick came. A late tick is what
 * every other callback of a blocked event loop suffers too. Started and stopped on the event loop it measures.
 */
final class Ticker {

  private final Vertx vertx;
  private final long periodMillis;
  private final long timerId;
  private long lastNanos = System.nanoTime();
  private double latestMillis;
  private int ticks;

  private Ticker(Vertx vertx, long periodMillis) {
    this.vertx = vertx;
    this.periodMillis = periodMillis;
    this.timerId = vertx.setPeriodic(periodMillis, id -> tick());
  }

  /** Starts ticking on the current context. */
  static Ticker start(Vertx vertx, long periodMillis) {
    return new Ticker(vertx, periodMillis);
  }

  private void tick() {
    long now = System.nanoTime();
    double late = (now - lastNanos) / 1e6 - periodMillis;
    latestMillis = Math.max(latestMillis, late);
    lastNanos = now;
    ticks++;
  }

  /** Stops the timer; returns the largest lateness seen, in milliseconds. */
  double stop() {
    vertx.cancelTimer(timerId);
    return Stopwatch.round(Math.max(0, latestMillis));
  }

  int ticks() {
    return ticks;
  }
}
