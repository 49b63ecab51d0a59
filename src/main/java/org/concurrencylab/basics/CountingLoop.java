package org.concurrencylab.basics;

import java.util.function.BooleanSupplier;

/**
 * The book's {@code cpu_bound_work()} of listings 2.18 and 2.19: {@code counter = counter + 1}, N times.
 *
 * <p>One difference from the listing, needed in Java: a loop with nothing observable in it is removed by the
 * JIT compiler (it "counted" to 100,000,000 in 0 ms here; so was a loop split into chunks), so this loop
 * looks at a stop signal every {@value #CHECK_EVERY} increments and publishes how far it got. That check keeps
 * every increment real, and it is what lets a cancelled count really stop, the way a Python coroutine can
 * only be cancelled where it awaits.
 */
public final class CountingLoop {

  /** Increments between two looks at the stop signal (a power of two: a millisecond of counting or less). */
  static final long CHECK_EVERY = 1L << 20;
  private static final long CHECK_MASK = CHECK_EVERY - 1;

  private final long n;
  private volatile long counted;

  public CountingLoop(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot count to a negative number: " + n);
    }
    this.n = n;
  }

  /** Counts to n, or until {@code stop} says so; returns how far it counted. Runs on the calling thread. */
  public long run(BooleanSupplier stop) {
    long counter = 0;
    for (long i = 0; i < n; i++) {
      counter = counter + 1;
      if ((counter & CHECK_MASK) == 0) {
        counted = counter;
        if (stop.getAsBoolean()) {
          break;
        }
      }
    }
    counted = counter;
    return counter;
  }

  /** Counts to n with no way to stop it, as the book's listing does. */
  public long run() {
    return run(() -> false);
  }

  /** How far the loop has counted so far (updated every {@value #CHECK_EVERY} iterations and at the end). */
  public long counted() {
    return counted;
  }

  public long target() {
    return n;
  }
}
