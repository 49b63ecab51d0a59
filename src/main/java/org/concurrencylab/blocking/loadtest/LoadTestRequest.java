package org.concurrencylab.blocking.loadtest;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.api.AllowedHosts;
import org.concurrencylab.measure.HttpLoad;

/**
 * A load test as {@code loadtest.start} and the {@code loadtest} command take it, checked: the URL must be
 * http(s) on an allowed host ({@code LAB_FETCH_ALLOW_HOSTS}), and every number has a bound so one request
 * cannot tie the node up for long.
 */
final class LoadTestRequest {

  static final long MAX_COUNT = 10_000_000;
  static final int MAX_CONCURRENCY = 1_000;
  static final long MAX_DURATION_S = 600;
  static final long MAX_TIMEOUT_MS = 60_000;

  private LoadTestRequest() {
  }

  /** The plan for {@code url} with the given numbers; {@link IllegalArgumentException} says what is wrong. */
  static HttpLoad.Plan plan(AllowedHosts allowed, String url, long count, int concurrency, long durationS,
                            long timeoutMs) {
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException("the count must be from 0 to " + MAX_COUNT);
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new IllegalArgumentException("the concurrency must be from 1 to " + MAX_CONCURRENCY);
    }
    if (durationS < 0 || durationS > MAX_DURATION_S) {
      throw new IllegalArgumentException("the duration must be from 0 to " + MAX_DURATION_S + " s");
    }
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new IllegalArgumentException("the timeout must be from 1 to " + MAX_TIMEOUT_MS + " ms");
    }
    if (count == 0 && durationS == 0) {
      throw new IllegalArgumentException("give a count, a duration, or both");
    }
    return new HttpLoad.Plan(allowed.check(url), count, concurrency, durationS * 1000, timeoutMs);
  }

  /** The plan of a {@code loadtest.start} body: {@code {url, n, concurrency, durationS, timeoutMs}}. */
  static HttpLoad.Plan fromJson(AllowedHosts allowed, JsonObject body) {
    Object url = body.getValue("url");
    if (!(url instanceof String text)) {
      throw new IllegalArgumentException("url must be a string");
    }
    return plan(allowed, text, number(body, "n", 0), (int) Math.min(Integer.MAX_VALUE, number(body, "concurrency", 100)),
      number(body, "durationS", 0), number(body, "timeoutMs", 10_000));
  }

  private static long number(JsonObject body, String name, long fallback) {
    Object value = body.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException(name + " must be an integer");
    }
    return ((Number) value).longValue();
  }
}
