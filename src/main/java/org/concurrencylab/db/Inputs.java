package org.concurrencylab.db;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks of request fields. The store checks its own input whoever calls it (the REST API validates against
 * its OpenAPI contract too, but the bus is open to every service); a bad field is a 400 naming it.
 */
final class Inputs {

  private Inputs() {
  }

  /** A positive 32-bit id, the type of every SERIAL key. */
  static int id(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value instanceof Integer i && i > 0) {
      return i;
    }
    if (value instanceof Long l && l > 0 && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    throw Failure.BAD_REQUEST.exception(field + " must be an integer from 1 to " + Integer.MAX_VALUE
      + (value == null ? " (missing)" : ", not " + value));
  }

  /** A non-empty name of at most {@link Products#NAME_MAX} characters. */
  static String name(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (!(value instanceof String name)) {
      throw Failure.BAD_REQUEST.exception(field + " must be a string" + (value == null ? " (missing)" : ""));
    }
    checkName(field, name);
    return name;
  }

  /** A non-empty array of at most {@code max} names. */
  static List<String> names(JsonObject body, String field, int max) {
    Object value = body.getValue(field);
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > max) {
      throw Failure.BAD_REQUEST.exception(field + " must be an array of 1 to " + max + " names");
    }
    List<String> names = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String name)) {
        throw Failure.BAD_REQUEST.exception(field + " must hold strings only");
      }
      checkName(field, name);
      names.add(name);
    }
    return names;
  }

  private static void checkName(String field, String name) {
    int length = name.codePointCount(0, name.length());
    if (length == 0 || length > Products.NAME_MAX) {
      throw Failure.BAD_REQUEST.exception(field + " must have 1 to " + Products.NAME_MAX + " characters, not " + length);
    }
  }
}
