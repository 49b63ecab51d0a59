package org.concurrencylab.loop;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabConfig;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.LogCapture;
import org.concurrencylab.trace.RequestIds;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The chapter 14 demos do what they print. */
class LoopDemosTest {

  private static JsonObject run(Vertx vertx, Demo demo, Map<String, String> options) {
    try {
      DemoContext context = new DemoContext(vertx, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        options, LabConfig.defaults());
      return Await.result(demo.run(context), Duration.ofSeconds(60));
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void aLongLoopStarvesTheTimerRunOnContextSlicesStillDoTimerYieldsAndOurOwnLoopDoNot() {
    // A checker that looks every 100 ms and complains past 300 ms, so a 1.5 s loop is enough to hear it.
    Vertx vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(100)
      .setMaxEventLoopExecuteTime(300).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    JsonObject result = run(vertx, new YieldDemo(), Map.of("work-ms", "1500", "slice-ms", "5", "tick-ms", "10"));

    JsonObject oneGo = result.getJsonObject("oneGo");
    assertThat(oneGo.getLong("blockedMs")).isPositive();
    assertThat(oneGo.getDouble("lateMaxMs")).isGreaterThan(1_000.0);
    // Netty runs queued tasks for up to a 1 s quantum before it serves timers again.
    assertThat(result.getJsonObject("runOnContext").getDouble("lateMaxMs")).isGreaterThan(500.0);
    assertThat(result.getJsonObject("runOnContext").getLong("blockedMs")).isZero();
    JsonObject yielding = result.getJsonObject("timerYield");
    assertThat(yielding.getLong("blockedMs")).isZero();
    assertThat(yielding.getDouble("lateMaxMs")).isLessThan(500.0);
    assertThat(yielding.getLong("ticks")).isGreaterThan(oneGo.getLong("ticks") * 2);
    JsonObject ownLoop = result.getJsonObject("ownLoop");
    assertThat(ownLoop.getDouble("lateMaxMs")).isLessThan(500.0);
    assertThat(ownLoop.getLong("ticks")).isGreaterThan(oneGo.getLong("ticks") * 2);
  }

  @Test
  void eachLineIsLoggedWithItsOwnPeerAndItsOwnRequestId() {
    try (LogCapture logs = LogCapture.of("org.concurrencylab.loop")) {
      JsonObject result = run(Vertx.vertx(), new ContextDemo(), Map.of());

      assertThat(result.getJsonArray("exchanges")).hasSize(4);
      for (Object item : result.getJsonArray("exchanges")) {
        JsonObject exchange = (JsonObject) item;
        assertThat(exchange.getString("answer")).matches("logged [0-9a-f]{16} on demo");
        String id = exchange.getString("answer").split(" ")[1];
        assertThat(logs.matching(m -> m.equals("Got message " + exchange.getString("line") + " from "
          + exchange.getString("client")))).singleElement()
          .satisfies(line -> assertThat(line.mdc(RequestIds.MDC_KEY)).isEqualTo(id));
        assertThat(logs.matching(m -> m.startsWith("recorded \"" + exchange.getString("line") + "\"")))
          .singleElement().satisfies(line -> assertThat(line.mdc(RequestIds.MDC_KEY)).isEqualTo(id));
      }
    }
  }
}
