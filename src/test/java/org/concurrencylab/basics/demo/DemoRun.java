package org.concurrencylab.basics.demo;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.testsupport.Await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** One run of a demo in the test JVM: its claims and what it printed. */
record DemoRun(JsonObject claims, String output) {

  static DemoRun of(Demo demo, Vertx vertx, Map<String, String> options) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    JsonObject claims = Await.result(demo.run(new DemoContext(vertx, out, options, new JsonObject())),
      Duration.ofSeconds(90));
    return new DemoRun(claims, printed.toString(StandardCharsets.UTF_8));
  }
}
