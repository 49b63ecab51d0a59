package org.concurrencylab.fetch;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code demo fetch} tells the book's chapter 4 story, and its claims hold. */
class FetchDemoTest {

  @Test
  void theStoryOfChapter4() {
    Vertx vertx = Vertx.vertx();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      JsonObject claims = Await.result(new FetchDemo().run(new DemoContext(vertx,
        new PrintStream(printed, true, StandardCharsets.UTF_8),
        Map.of("n", "40", "delay-ms", "25", "scale", "0.05"),
        new JsonObject().put("host", "127.0.0.1").put("fetch_allow_hosts", "127.0.0.1"))));

      assertThat(claims.getInteger("concurrent_ok")).isEqualTo(40);
      // One at a time, 40 GETs that each wait 25 ms at the stub cannot take less than 1 s; at once, they overlap.
      assertThat(claims.getDouble("sequential_ms")).isGreaterThanOrEqualTo(40 * 25);
      assertThat(claims.getDouble("concurrent_ms")).isLessThan(claims.getDouble("sequential_ms"));
      assertThat(claims.getJsonArray("as_completed_order").getList()).containsExactly(0, 1, 2);
      assertThat(claims.getInteger("deadline_ok")).isEqualTo(2);
      assertThat(claims.getInteger("deadline_timeouts")).isEqualTo(1);
      assertThat(claims.getInteger("first_winner")).isEqualTo(0);
      assertThat(claims.getInteger("first_cancelled")).isEqualTo(1);
      assertThat(claims.getLong("stub_abandoned")).isEqualTo(1);
      assertThat(claims.getInteger("first_error_index")).isEqualTo(1);
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("4.6", "4.8", "4.9", "4.15", "4.11");
    } finally {
      Await.result(vertx.close());
    }
  }
}
