package org.concurrencylab.fetch.stub;

import io.vertx.core.MultiMap;

/**
 * The knobs of one stub request, from its query string: {@code delay_ms}, {@code status}, {@code size},
 * {@code fail_rate} with {@code seed}, and {@code fail_with} (a status code, or {@code reset} to drop the
 * connection without an answer).
 */
record StubRequest(long delayMs, int status, int size, double failRate, Long seed, int failStatus, boolean failByReset) {

  static final long MAX_DELAY_MS = 120_000;
  static final int MAX_SIZE = 10 * 1024 * 1024;
  static final StubRequest PLAIN = new StubRequest(0, 200, -1, 0, null, 500, false);

  /** Reads the query parameters; throws {@link IllegalArgumentException} naming the bad one. */
  static StubRequest of(MultiMap params) {
    if (params.isEmpty()) {
      return PLAIN;
    }
    long delay = number(params, "delay_ms", 0, 0, MAX_DELAY_MS);
    int status = (int) number(params, "status", 200, 200, 599);
    int size = (int) number(params, "size", -1, 0, MAX_SIZE);
    double rate = 0;
    String rateText = params.get("fail_rate");
    if (rateText != null) {
      try {
        rate = Double.parseDouble(rateText);
      } catch (NumberFormatException e) {
        rate = Double.NaN;
      }
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("fail_rate must be a number from 0 to 1, not '" + rateText + "'");
      }
    }
    Long seed = params.contains("seed") ? number(params, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : null;
    String failWith = params.get("fail_with");
    boolean reset = "reset".equals(failWith);
    int failStatus = reset || failWith == null ? 500 : (int) number(params, "fail_with", 500, 400, 599);
    return new StubRequest(delay, status, size, rate, seed, failStatus, reset);
  }

  private static long number(MultiMap params, String name, long fallback, long min, long max) {
    String text = params.get(name);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, not '" + text + "'");
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", not " + value);
    }
    return value;
  }
}
