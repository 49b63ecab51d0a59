package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

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
}
