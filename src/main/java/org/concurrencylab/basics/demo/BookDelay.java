package org.concurrencylab.basics.demo;

import org.concurrencylab.basics.task.CancellableTask;
import org.concurrencylab.basics.task.Tasks;
import org.concurrencylab.spi.DemoContext;

/**
 * The book's {@code util.delay(seconds)}: says "sleeping for n second(s)", sleeps on a timer, says "finished
 * sleeping for n second(s)" and returns n. A demo's "second" is {@code --second-ms} long, so a test can run
 * the book's story in a tenth of the time.
 */
final class BookDelay {

  /** The option that sets how long the book's second lasts, and its default. */
  static final String SECOND_OPTION = "second-ms";
  static final long SECOND_MS = 1000;

  private BookDelay() {
  }

  /** The length of the book's second for this run of a demo. */
  static long secondMillis(DemoContext context) {
    return Options.number(context, SECOND_OPTION, SECOND_MS, 1, 60_000);
  }

  /** Starts {@code delay(seconds)} as a task, as {@code asyncio.create_task(delay(seconds))} does. */
  static CancellableTask<Integer> start(DemoContext context, int seconds, long secondMillis) {
    context.say("sleeping for %d second(s)", seconds);
    return Tasks.delay(context.vertx(), seconds * secondMillis, () -> {
      context.say("finished sleeping for %d second(s)", seconds);
      return seconds;
    });
  }

  /** How the book's seconds read in this run: "3 s", or "3 s (of 100 ms)" when shortened. */
  static String seconds(int seconds, long secondMillis) {
    return secondMillis == SECOND_MS ? seconds + " s" : seconds + " s (of " + secondMillis + " ms)";
  }
}
