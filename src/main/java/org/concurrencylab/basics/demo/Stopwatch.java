package org.concurrencylab.basics.demo;

/** Elapsed wall time since it was started, in milliseconds with a tenth of a millisecond. */
final class Stopwatch {

  private final long start = System.nanoTime();

  static Stopwatch start() {
    return new Stopwatch();
  }

  double millis() {
    return round((System.nanoTime() - start) / 1e6);
  }

  /** Milliseconds rounded to a tenth, for JSON claims a person reads. */
  static double round(double millis) {
    return Math.round(millis * 10) / 10.0;
  }

  /** Milliseconds as the book prints its timings: seconds with four decimals. */
  static String seconds(double millis) {
    return String.format(java.util.Locale.ROOT, "%.4f", millis / 1000);
  }
}
