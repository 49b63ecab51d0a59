package org.concurrencylab.db;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chapter's demos against one database seeded with the book's data on first use. */
class DbDemosTest {

  private static Vertx vertx;
  private static JsonObject config;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    config = new JsonObject().put("db_url", TestDatabase.freshDatabase("db_demos")).put("db_pool", 6).put("db_seed", 42)
      .put("data_dir", "unused");
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static JsonObject run(org.concurrencylab.spi.Demo demo, Map<String, String> options, ByteArrayOutputStream out) {
    return Await.result(demo.run(new DemoContext(vertx, new PrintStream(out, true, StandardCharsets.UTF_8), options, config)),
      Duration.ofSeconds(120));
  }

  @Test
  void dbQueriesRunsTheJoinSequentiallyAndConcurrently() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonObject result = run(new DbQueriesDemo(), Map.of("n", "300"), out);
    assertThat(result.getInteger("rows")).isEqualTo(300);
    assertThat(result.getDouble("sequential_s")).isPositive();
    assertThat(result.getDouble("concurrent_s")).isPositive();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("one after the other", "all at once");
  }

  @Test
  void transactionsRollBackWholeOrToASavepoint() {
    JsonObject result = run(new TransactionsDemo(), Map.of(), new ByteArrayOutputStream());
    assertThat(result.getJsonArray("committed")).hasSize(2);
    assertThat(result.getInteger("duplicate_rows_kept")).isZero();
    JsonArray ids = result.getJsonObject("savepoint").getJsonArray("brand_ids");
    assertThat(ids.getValue(0)).isNotNull();
    assertThat(ids.getValue(1)).isNull();
  }

  @Test
  void theCursorSkipsAndFetchesAndTakeStopsAfterFive() {
    JsonObject result = run(new CursorDemo(), Map.of(), new ByteArrayOutputStream());
    assertThat(result.getInteger("fetched")).isEqualTo(100);
    JsonArray taken = result.getJsonArray("taken");
    assertThat(taken).hasSize(5);
    assertThat(taken.getJsonObject(0).getInteger("product_id")).isEqualTo(1);
    assertThat(taken.getJsonObject(4).getInteger("product_id")).isEqualTo(5);
  }
}
