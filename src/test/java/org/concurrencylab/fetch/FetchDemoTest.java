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
        Map.of("n", "40", "delay-ms", "25", "scale", "0.2"),
        new JsonObject().put("host", "127.0.0.1").put("fetch_allow_hosts", "127.0.0.1"))));

      assertThat(claims.getInteger("concurrent_ok")).isEqualTo(40);
      // One at a time, 40 GETs that each wait 25 ms at the stub cannot take less than 1 s; at once, they overlap.
      assertThat(claims.getDouble("sequential_ms")).isGreaterThanOrEqualTo(40 * 25);
      assertThat(claims.getDouble("concurrent_ms")).isLessThan(claims.getDouble("sequential_ms"));
      // The book's delays of 1, 1 and 10 s, scaled to 200, 200 and 2,000 ms: the slow one lands last...
      assertThat(claims.getJsonArray("as_completed_order").getList()).hasSize(3).endsWith(2);
      // ...and misses a 400 ms deadline, reported as timed out rather than dropped.
      assertThat(claims.getInteger("deadline_timeouts")).isGreaterThanOrEqualTo(1);
      assertThat(claims.getInteger("deadline_ok") + claims.getInteger("deadline_timeouts")).isEqualTo(3);
      assertThat(claims.getInteger("first_winner")).isEqualTo(0);
      assertThat(claims.getInteger("first_cancelled")).isEqualTo(1);
      // The stub saw the cancelled request's connection close (a loaded machine may also let it notice the
      // deadline step's timed-out request only now, hence at least one).
      assertThat(claims.getLong("stub_abandoned")).isGreaterThanOrEqualTo(1);
      assertThat(claims.getInteger("first_error_index")).isEqualTo(1);
      assertThat(printed.toString(StandardCharsets.UTF_8)).contains("4.6", "4.8", "4.9", "4.15", "4.11");
    } finally {
      Await.result(vertx.close());
    }
  }
}
