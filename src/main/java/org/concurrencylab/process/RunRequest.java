package org.concurrencylab.process;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A checked {@code process.run} request. Fields: {@code command} (an allowed name), {@code args} (strings),
 * {@code stdin} (text written to the child, then end of input), {@code keepStdinOpen} (leave stdin open for
 * {@code process.stdin.<id>}), {@code timeoutMs} (default 60 s; the child is terminated, then killed),
 * {@code discardOutput} (no pipes at all: the cheapest spawn), {@code wait} (reply at the exit with the
 * captured output, instead of at the start with the id).
 */
record RunRequest(Path executable, List<String> args, String stdin, boolean keepStdinOpen, long timeoutMs,
                  boolean discardOutput, boolean waitForExit) {

  static final long DEFAULT_TIMEOUT_MS = 60_000;
  static final long MAX_TIMEOUT_MS = 3_600_000;
  static final int MAX_STDIN_BYTES = 1 << 20;

  private static final Set<String> FIELDS = Set.of("command", "args", "stdin", "keepStdinOpen", "timeoutMs",
    "discardOutput", "wait");

  /** The command line as text, for logs and replies. */
  String commandLine() {
    return executable + (args.isEmpty() ? "" : " " + String.join(" ", args));
  }

  /**
   * Parses and checks a request body against the policy.
   *
   * @throws io.vertx.core.eventbus.ReplyException 400 naming the field at fault
   */
  static RunRequest parse(JsonObject body, CommandPolicy policy) {
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw Failure.BAD_REQUEST.exception("unknown field '" + field + "' (known: command, args, stdin, "
          + "keepStdinOpen, timeoutMs, discardOutput, wait)");
      }
    }
    Object command = body.getValue("command");
    if (command != null && !(command instanceof String)) {
      throw Failure.BAD_REQUEST.exception("command must be a string");
    }
    Path executable = policy.executable((String) command);
    List<String> args = policy.arguments(strings(body.getValue("args")));
    Object stdin = body.getValue("stdin");
    if (stdin != null && !(stdin instanceof String)) {
      throw Failure.BAD_REQUEST.exception("stdin must be a string");
    }
    if (stdin != null && ((String) stdin).getBytes(StandardCharsets.UTF_8).length > MAX_STDIN_BYTES) {
      throw Failure.BAD_REQUEST.exception("stdin is larger than " + MAX_STDIN_BYTES + " bytes; "
        + "write it in parts with keepStdinOpen and process.stdin.<id>");
    }
    long timeoutMs = number(body, "timeoutMs", DEFAULT_TIMEOUT_MS);
    if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
      throw Failure.BAD_REQUEST.exception("timeoutMs must be between 1 and " + MAX_TIMEOUT_MS + ", not " + timeoutMs);
    }
    boolean keepOpen = flag(body, "keepStdinOpen");
    boolean discard = flag(body, "discardOutput");
    if (discard && (keepOpen || stdin != null)) {
      throw Failure.BAD_REQUEST.exception("discardOutput runs the child with no pipes at all: it takes no stdin");
    }
    return new RunRequest(executable, args, (String) stdin, keepOpen, timeoutMs, discard, flag(body, "wait"));
  }

  private static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw Failure.BAD_REQUEST.exception("args must be an array of strings");
    }
    List<String> out = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw Failure.BAD_REQUEST.exception("args must be an array of strings, not " + array.encode());
      }
      out.add(text);
    }
    return out;
  }

  private static long number(JsonObject body, String field, long fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw Failure.BAD_REQUEST.exception(field + " must be a whole number of milliseconds");
    }
    return ((Number) value).longValue();
  }

  private static boolean flag(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw Failure.BAD_REQUEST.exception(field + " must be true or false");
    }
    return b;
  }
}
