package org.concurrencylab.mapreduce.lessons;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

public final class SharedCounterDemo implements Demo {
  public String name() { return "shared-counter"; }
  public String summary() { return "todo"; }
  public Future<JsonObject> run(DemoContext context) { return Future.succeededFuture(new JsonObject()); }
}
