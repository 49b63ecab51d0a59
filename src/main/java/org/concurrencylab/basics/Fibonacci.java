package org.concurrencylab.basics;

/**
 * The book's CPU-bound workload of listings 1.5 and 1.6: naive recursive Fibonacci with the book's
 * numbering, fib(1) = 0 and fib(2) = 1, so fib(40) = 63,245,986. Deliberately exponential: the point is
 * the CPU time it burns, about 2 * fib(n) calls.
 */
public final class Fibonacci {

  /** The largest n the bus service accepts: fib(45) is already seconds of CPU work, and n + 1 costs 1.6 times n. */
  public static final int MAX_N = 45;

  private Fibonacci() {
  }

  /** The n-th number, computed the book's way. {@code n} must be at least 1. */
  public static long fib(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("fib(n) needs n >= 1, not " + n);
    }
    return naive(n);
  }

  private static long naive(int n) {
    if (n == 1) {
      return 0;
    }
    if (n == 2) {
      return 1;
    }
    return naive(n - 1) + naive(n - 2);
  }
}
