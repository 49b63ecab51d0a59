package org.concurrencylab.basics;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;

/** Reading the fields of a {@code basics.*} request: a clear 400 for anything missing or out of range. */
final class Requests {

  private Requests() {
  }

  /** The integer field {@code name}, in {@code [min, max]}. */
  static long integer(JsonObject body, String name, long min, long max) {
    Object value = body.getValue(name);
    if (value == null) {
      throw Failure.BAD_REQUEST.exception("'" + name + "' is required: an integer from " + min + " to " + max);
    }
    return checked(name, value, min, max);
  }

  /** The integer field {@code name}, in {@code [min, max]}, or {@code fallback} when absent. */
  static long integer(JsonObject body, String name, long min, long max, long fallback) {
    Object value = body.getValue(name);
    return value == null ? fallback : checked(name, value, min, max);
  }

  private static long checked(String name, Object value, long min, long max) {
    if (!(value instanceof Integer || value instanceof Long)) {
      throw Failure.BAD_REQUEST.exception("'" + name + "' must be an integer from " + min + " to " + max
        + ", not " + (value instanceof String ? "\"" + value + "\"" : value));
    }
    long number = ((Number) value).longValue();
    if (number < min || number > max) {
      throw Failure.BAD_REQUEST.exception("'" + name + "' must be from " + min + " to " + max + ", not " + number);
    }
    return number;
  }
}
