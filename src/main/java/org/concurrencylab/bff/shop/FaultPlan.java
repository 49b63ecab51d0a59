package org.concurrencylab.bff.shop;

import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;

/**
 * The faults one service is told to show: a share of its requests answered only after {@code slowMs}, and a
 * share failed in one of three ways. Shares are exact, not random: with {@code fail_share} 0.25 every fourth
 * request fails, so a test or a demo sees the same thing every run.
 *
 * @param failShare 0 to 1: the share of requests that fail
 * @param failWith  how they fail
 * @param slowShare 0 to 1: the share of requests delayed by {@code slowMs} first
 * @param slowMs    0 to {@link #MAX_SLOW_MS}
 */
record FaultPlan(double failShare, FailMode failWith, double slowShare, long slowMs) {

  static final FaultPlan NONE = new FaultPlan(0, FailMode.ERROR, 0, 0);
  static final long MAX_SLOW_MS = 60_000;
  private static final Set<String> FIELDS = Set.of("fail_share", "fail_with", "slow_share", "slow_ms");

  /** How a failing request fails. */
  enum FailMode {
    /** HTTP 500 / a bus failure with code 500. */
    ERROR,
    /** HTTP 200 with a body that is not JSON / a bus reply that is not a JSON object. */
    GARBAGE,
    /** No answer at all: the caller's timeout is all that ends the wait. */
    SILENCE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A plan from {@code {fail_share?, fail_with?, slow_share?, slow_ms?}}; a missing field means none.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  static FaultPlan fromJson(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field) && !field.equals("service")) {
        throw new IllegalArgumentException("unknown field '" + field + "' (known: fail_share, fail_with, slow_share, slow_ms)");
      }
    }
    double failShare = share(json, "fail_share");
    double slowShare = share(json, "slow_share");
    Object slow = json.getValue("slow_ms", 0);
    if (!(slow instanceof Integer || slow instanceof Long) || ((Number) slow).longValue() < 0
      || ((Number) slow).longValue() > MAX_SLOW_MS) {
      throw new IllegalArgumentException("slow_ms must be an integer from 0 to " + MAX_SLOW_MS);
    }
    Object mode = json.getValue("fail_with", "error");
    FailMode failWith = null;
    if (mode instanceof String text) {
      for (FailMode candidate : FailMode.values()) {
        if (candidate.label().equals(text)) {
          failWith = candidate;
        }
      }
    }
    if (failWith == null) {
      throw new IllegalArgumentException("fail_with must be \"error\", \"garbage\" or \"silence\"");
    }
    return new FaultPlan(failShare, failWith, slowShare, ((Number) slow).longValue());
  }

  private static double share(JsonObject json, String field) {
    Object value = json.getValue(field, 0);
    if (!(value instanceof Number number) || !(number.doubleValue() >= 0 && number.doubleValue() <= 1)) {
      throw new IllegalArgumentException(field + " must be a number from 0 to 1");
    }
    return number.doubleValue();
  }

  JsonObject toJson() {
    return new JsonObject().put("fail_share", failShare).put("fail_with", failWith.label())
      .put("slow_share", slowShare).put("slow_ms", slowMs);
  }
}
