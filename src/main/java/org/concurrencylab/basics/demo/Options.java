package org.concurrencylab.basics.demo;

import org.concurrencylab.spi.DemoContext;

/** The demos' numeric options, range-checked: a bad value is a {@link BadOption} (exit code 2). */
final class Options {

  /** An option the demo cannot run with; the demo command reports it as a usage error. */
  static final class BadOption extends IllegalArgumentException {
    BadOption(String message) {
      super(message);
    }
  }

  private Options() {
  }

  /** The option {@code --name} as a number in {@code [min, max]}, or {@code fallback} when absent. */
  static long number(DemoContext context, String name, long fallback, long min, long max) {
    String text = context.option(name, null);
    if (text == null) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new BadOption("--" + name + " must be an integer, not '" + text + "'");
    }
    if (value < min || value > max) {
      throw new BadOption("--" + name + " must be from " + min + " to " + max + ", not " + value);
    }
    return value;
  }

  /** {@link #number} for an int. */
  static int integer(DemoContext context, String name, int fallback, int min, int max) {
    return (int) number(context, name, fallback, min, max);
  }
}
