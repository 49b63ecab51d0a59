package org.concurrencylab.spi;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a demo runs with: a Vert.x instance of its own, where to print its narrative, the options given
 * after its name ({@code --n 10000} becomes {@code n -> "10000"}) and the lab's resolved configuration.
 */
public record DemoContext(Vertx vertx, PrintStream out, Map<String, String> options, JsonObject config) {

  /** Prints one line of the narrative. */
  public void say(String format, Object... args) {
    out.println(args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
    out.flush();
  }

  /** An integer option, or {@code fallback} when it is absent. */
  public int intOption(String name, int fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be an integer, not '" + value + "'");
    }
  }

  /** A text option, or {@code fallback} when it is absent. */
  public String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }
}
