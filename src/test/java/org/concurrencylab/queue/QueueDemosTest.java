package org.concurrencylab.queue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chapter-12 demos print the book's story and end by themselves. */
class QueueDemosTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static JsonObject run(String name, Map<String, String> options, StringBuilder printed) {
    Demo demo = new QueueModule().demos().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonObject result = Await.result(demo.run(new DemoContext(vertx, new PrintStream(out, true, StandardCharsets.UTF_8),
      options, new JsonObject())), Duration.ofSeconds(60));
    printed.append(out.toString(StandardCharsets.UTF_8));
    return result;
  }

  @Test
  void theSupermarketServesEveryCustomerThenJoinReturns() {
    StringBuilder printed = new StringBuilder();
    JsonObject result = run("supermarket", Map.of("scale", "0.01"), printed);
    assertThat(result.getInteger("served")).isEqualTo(10);
    assertThat(printed).contains("Cashier 0 checking out customer 0", "join() returned: 10 customers served");
  }

  @Test
  void theEndlessProducerStopsAfterItsRunAndWaitedForRoom() {
    StringBuilder printed = new StringBuilder();
    JsonObject result = run("endless-producer", Map.of("seconds", "1", "scale", "0.02"), printed);
    assertThat(result.getInteger("produced")).isPositive();
    assertThat(result.getInteger("in_line")).isBetween(0, 5);
    assertThat(result.getInteger("producer_waits")).isPositive();
    assertThat(printed).contains("Queue full: the producer waits for room");
  }
}
