package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.concurrent.TimeoutException;

/** A demo of the chapters: reads its options, then tells its story; a bad option fails the run as a usage error. */
abstract class BookDemo implements Demo {

  @Override
  public final Future<JsonObject> run(DemoContext context) {
    try {
      return tell(context);
    } catch (Options.BadOption badOption) {
      return Future.failedFuture(badOption);
    }
  }

  /** Reads the options (throwing {@link Options.BadOption}) and tells the story, measuring as it goes. */
  abstract Future<JsonObject> tell(DemoContext context);

  /**
   * The book's {@code try: print(await wait_for(...)) except TimeoutError: ...}: prints the result when it came
   * in time, runs {@code onTimeout} when the wait timed out; true when it did. Other failures pass through.
   */
  static <T> Future<Boolean> timedOut(DemoContext context, Future<T> waiting, Runnable onTimeout) {
    return waiting
      .map(result -> {
        context.say("%s", result);
        return false;
      })
      .recover(failure -> {
        if (!(failure instanceof TimeoutException)) {
          return Future.failedFuture(failure);
        }
        onTimeout.run();
        return Future.succeededFuture(true);
      });
  }
}
