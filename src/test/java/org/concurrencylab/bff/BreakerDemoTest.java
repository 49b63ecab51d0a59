package org.concurrencylab.bff;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code demo breaker}, ten times faster: the book's listing 10.12 told on vertx-circuit-breaker. */
class BreakerDemoTest {

  @Test
  void closedClosedOpenOpenThenThroughAgain() {
    Vertx vertx = Vertx.vertx();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      JsonObject claims = Await.result(new BreakerDemo().run(new DemoContext(vertx,
        new PrintStream(printed, true, StandardCharsets.UTF_8), Map.of("scale", "0.1"), new JsonObject())),
        Duration.ofSeconds(30));
      // Calls 1-5 as in the book (the fifth goes through after the reset: Vert.x's half-open trial), then
      // Vert.x opens again at once on the trial's failure; once the service is fast the trial closes it.
      assertThat(claims.getJsonArray("states").getList()).containsExactly(
        "closed", "closed", "open", "open", "half-open", "open", "open", "open", "half-open", "closed");
      assertThat(claims.getJsonArray("outcomes").getList()).containsExactly(
        "timed out", "timed out", "failed fast", "failed fast", "timed out", "failed fast", "failed fast",
        "failed fast", "succeeded", "succeeded");
      assertThat(claims.getString("final_state")).isEqualTo("closed");
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("10.12", "Sleeping", "half-open");
    } finally {
      Await.result(vertx.close());
    }
  }
}
