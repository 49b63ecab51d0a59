package org.concurrencylab.spi;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A runnable story from the book: {@code java -jar concurrency-lab.jar demo <name>} prints its narrative
 * with measured times. The returned JSON holds the measured claims so tests can assert them.
 */
public interface Demo {

  /** The name given to {@code demo}, e.g. {@code cpu-vs-io}. */
  String name();

  /** One line for {@code demo --list}, naming the book's listing it follows. */
  String summary();

  /** Runs the demo; the Future completes with its measurements when the narrative is done. */
  Future<JsonObject> run(DemoContext context);
}
