package org.concurrencylab.mapreduce.job;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.mapreduce.count.PartialCounts;

/**
 * A word-count job as asked for: {@code {path, word?, top?, partitionLines?, partitionTimeoutMs?, encoding?}}.
 * Every field is checked here, so a bad request is a 400 naming the field before any work starts.
 */
record JobRequest(String path, String word, int top, int partitionLines, long partitionTimeoutMs,
                  PartialCounts.Encoding encoding) {

  static final String DEFAULT_WORD = "Aardvark";
  static final int DEFAULT_TOP = 10;
  static final int MAX_TOP = 1_000;
  /** The book's partition size. */
  static final int DEFAULT_PARTITION_LINES = 60_000;
  static final int MAX_PARTITION_LINES = 10_000_000;

  static JobRequest from(JsonObject body, long defaultTimeoutMs) {
    Object path = body.getValue("path");
    if (!(path instanceof String text) || text.isBlank()) {
      throw bad("path must be the file's path (a non-empty string)");
    }
    Object word = body.getValue("word", DEFAULT_WORD);
    if (!(word instanceof String wordText) || wordText.isEmpty() || wordText.length() > 1_000) {
      throw bad("word must be a non-empty string of at most 1000 characters");
    }
    int top = integer(body, "top", DEFAULT_TOP, 0, MAX_TOP);
    int partitionLines = integer(body, "partitionLines", DEFAULT_PARTITION_LINES, 1, MAX_PARTITION_LINES);
    long timeout = integer(body, "partitionTimeoutMs", (int) Math.min(defaultTimeoutMs, Integer.MAX_VALUE), 100,
      3_600_000);
    PartialCounts.Encoding encoding;
    try {
      Object name = body.getValue("encoding");
      if (name != null && !(name instanceof String)) {
        throw bad("encoding must be \"buffer\" or \"json\"");
      }
      encoding = PartialCounts.Encoding.parse((String) name);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    return new JobRequest(text, wordText, top, partitionLines, timeout, encoding);
  }

  private static int integer(JsonObject body, String field, int fallback, int min, int max) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
      || ((Number) value).longValue() > max) {
      throw bad(field + " must be a whole number from " + min + " to " + max + ", not " + value);
    }
    return ((Number) value).intValue();
  }

  private static RuntimeException bad(String message) {
    return Failure.BAD_REQUEST.exception(message);
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("path", path)
      .put("word", word)
      .put("top", top)
      .put("partitionLines", partitionLines)
      .put("partitionTimeoutMs", partitionTimeoutMs)
      .put("encoding", encoding.label());
  }
}
