package org.concurrencylab.fetch;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a fetch call waits for its requests: the book's gather, as_completed and asyncio.wait variants. */
enum FetchMode {
  /** {@code gather}: every result, in the order of the URLs, failures as values. */
  ALL("all"),
  /** {@code as_completed}: results in the order they land, each published as soon as it does. */
  AS_COMPLETED("as-completed"),
  /** {@code wait(FIRST_COMPLETED)} then cancel: the first success wins, the rest are cancelled. */
  FIRST("first"),
  /** {@code wait(FIRST_EXCEPTION)}: stop at the first failure and cancel the rest. */
  FIRST_ERROR("first-error");

  private final String spelled;

  FetchMode(String spelled) {
    this.spelled = spelled;
  }

  String spelled() {
    return spelled;
  }

  static FetchMode of(String text) {
    for (FetchMode mode : values()) {
      if (mode.spelled.equals(text)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("mode must be one of " + names() + ", not '" + text + "'");
  }

  static String names() {
    return Arrays.stream(values()).map(FetchMode::spelled).collect(Collectors.joining(", "));
  }
}
