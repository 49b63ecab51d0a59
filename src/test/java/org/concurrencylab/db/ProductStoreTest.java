package org.concurrencylab.db;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.database.Databases;
import org.concurrencylab.database.Migrations;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The products store on a real PostgreSQL, asked over the bus; the database is read back to check writes. */
class ProductStoreTest {

  private static Vertx vertx;
  private static Pool pool;
  private static String url;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    url = TestDatabase.freshDatabase("product_store");
    pool = Databases.pool(vertx, new JsonObject().put("db_url", url), 2);
    Await.result(Migrations.apply(pool, ProductSql.MIGRATIONS));
    Await.result(ProductSeeder.reseed(pool, SeedData.generate(7, 10, 120, 3_000), ProductSeeder.Method.UNNEST));
    Await.result(vertx.deployVerticle(new ProductStore(), new DeploymentOptions().setConfig(new JsonObject()
      .put("db_url", url).put("db_pool", 3).put("db_seed_on_start", false).put("node_name", "test"))));
  }

  @AfterAll
  static void stop() {
    Await.result(pool.close());
    Await.result(vertx.close());
  }

  private static JsonObject ask(String address, JsonObject body) {
    return Await.result(Bus.request(vertx, address, body));
  }

  private static Failure refusal(String address, JsonObject body) {
    Throwable failure = Await.failure(Bus.request(vertx, address, body), java.time.Duration.ofSeconds(10));
    assertThat(failure).isInstanceOf(ReplyException.class);
    return Failure.of(failure);
  }

  private static List<String> brandNames() {
    List<String> names = new ArrayList<>();
    Await.result(pool.query("SELECT brand_name FROM brand ORDER BY brand_id").execute())
      .forEach((Row row) -> names.add(row.getString(0)));
    return names;
  }

  @Test
  void answersTheBrandsAProductAndItsSkus() {
    JsonArray brands = ask(Products.BRANDS, new JsonObject()).getJsonArray("brands");
    assertThat(brands.size()).isGreaterThanOrEqualTo(10); // other tests of this class add brands
    assertThat(brands.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("brand_id", "brand_name");

    JsonObject product = ask(Products.GET, new JsonObject().put("product_id", 5));
    SeedData seeded = SeedData.generate(7, 10, 120, 3_000);
    assertThat(brands.getJsonObject(9).getString("brand_name")).isEqualTo(seeded.brandNames().get(9));
    assertThat(product.getString("product_name")).isEqualTo(seeded.productNames().get(4));
    assertThat(product.getInteger("brand_id")).isEqualTo(seeded.productBrands()[4]);

    JsonArray skus = ask(Products.SKUS, new JsonObject().put("product_id", 5)).getJsonArray("skus");
    long expected = java.util.Arrays.stream(seeded.skuProducts()).filter(id -> id == 5).count();
    assertThat(skus).hasSize((int) expected);
    assertThat(skus.getJsonObject(0).getString("product_color_name")).isIn("Blue", "Black");
    assertThat(skus.getJsonObject(0).getString("product_size_name")).isIn("Small", "Medium", "Large");

    assertThat(ask(Products.LIST, new JsonObject()).getJsonArray("products").size()).isGreaterThanOrEqualTo(120);
  }

  @Test
  void refusesBadIdsAndReportsMissingProducts() {
    assertThat(refusal(Products.GET, new JsonObject().put("product_id", 999_999))).isEqualTo(Failure.NOT_FOUND);
    assertThat(refusal(Products.GET, new JsonObject().put("product_id", -1))).isEqualTo(Failure.BAD_REQUEST);
    assertThat(refusal(Products.GET, new JsonObject().put("product_id", "7"))).isEqualTo(Failure.BAD_REQUEST);
    assertThat(refusal(Products.GET, new JsonObject().put("product_id", 1.5))).isEqualTo(Failure.BAD_REQUEST);
    assertThat(refusal(Products.GET, new JsonObject())).isEqualTo(Failure.BAD_REQUEST);
  }

  @Test
  void createsAProductAndRefusesAnUnknownBrandOrABadName() {
    int id = ask(Products.CREATE, new JsonObject().put("product_name", "blue jeans").put("brand_id", 3))
      .getInteger("product_id");
    assertThat(ask(Products.GET, new JsonObject().put("product_id", id)).getString("product_name")).isEqualTo("blue jeans");

    assertThat(refusal(Products.CREATE, new JsonObject().put("product_name", "x").put("brand_id", 4242)))
      .isEqualTo(Failure.UNPROCESSABLE);
    assertThat(refusal(Products.CREATE, new JsonObject().put("product_name", "").put("brand_id", 1)))
      .isEqualTo(Failure.BAD_REQUEST);
    assertThat(refusal(Products.CREATE, new JsonObject().put("product_name", "x".repeat(Products.NAME_MAX + 1))
      .put("brand_id", 1))).isEqualTo(Failure.BAD_REQUEST);
    assertThat(refusal(Products.CREATE, new JsonObject().put("product_name", "nul\u0000byte").put("brand_id", 1)))
      .isEqualTo(Failure.BAD_REQUEST);
  }

  @Test
  void aFailingInsertPartWayLeavesNoBrandBehind() {
    List<String> before = brandNames();
    // The second INSERT fails inside PostgreSQL (a NUL byte), after the first one has run.
    Failure failure = refusal(Products.CREATE_BRANDS, new JsonObject()
      .put("brand_names", new JsonArray().add("first_of_two").add("second\u0000of_two")));
    assertThat(failure).isEqualTo(Failure.BAD_REQUEST);
    assertThat(brandNames()).isEqualTo(before).doesNotContain("first_of_two");
  }

  @Test
  void aSavepointUndoesOnlyTheFailingInsert() {
    List<String> before = brandNames();
    JsonObject reply = ask(Products.CREATE_BRANDS, new JsonObject().put("on_error", "skip")
      .put("brand_names", new JsonArray().add("kept_one").add("bad\u0000one").add("kept_two")));
    assertThat(reply.getJsonArray("brand_ids").getValue(1)).isNull();
    assertThat(reply.getJsonArray("skipped")).hasSize(1);
    assertThat(reply.getJsonArray("skipped").getJsonObject(0).getInteger("index")).isEqualTo(1);

    List<String> after = brandNames();
    assertThat(after).hasSize(before.size() + 2).endsWith("kept_one", "kept_two");
  }

  @Test
  void migrationsAndSeedingOnStartAreIdempotent() {
    assertThat(Await.result(Migrations.apply(pool, ProductSql.MIGRATIONS))).isZero();
    assertThat(Await.result(ProductSeeder.seedIfEmpty(pool, 42))).isFalse(); // the tables have rows
    assertThat(Await.result(pool.query("SELECT count(*) FROM product_size").execute()).iterator().next().getLong(0))
      .isEqualTo(3);
  }

  @Test
  void seedDataIsDeterministicAndShapedLikeTheBook() {
    SeedData a = SeedData.book(42);
    SeedData b = SeedData.book(42);
    assertThat(a.brandNames()).isEqualTo(b.brandNames()).hasSize(100).doesNotHaveDuplicates();
    assertThat(a.productNames()).isEqualTo(b.productNames()).hasSize(1_000);
    assertThat(a.skuProducts()).isEqualTo(b.skuProducts()).hasSize(100_000);
    assertThat(SeedData.book(43).productNames()).isNotEqualTo(a.productNames());
    for (String name : a.productNames()) {
      assertThat(name).doesNotContain("\n");
      assertThat(List.of(name.split(" "))).hasSize(10).doesNotHaveDuplicates();
    }
    assertThat(a.skuSizes()).allMatch(size -> size >= 1 && size <= 3);
    assertThat(a.skuColors()).allMatch(color -> color >= 1 && color <= 2);
    assertThat(a.productBrands()).allMatch(brand -> brand >= 1 && brand <= 100);
  }

  @Test
  void bothSeedingMethodsStoreTheSameRows() {
    String url = TestDatabase.freshDatabase("seed_methods");
    Pool other = Databases.pool(vertx, new JsonObject().put("db_url", url), 1);
    try {
      Await.result(Migrations.apply(other, ProductSql.MIGRATIONS));
      SeedData data = SeedData.generate(11, 5, 20, 300);
      List<String> rows = new ArrayList<>();
      for (ProductSeeder.Method method : ProductSeeder.Method.values()) {
        JsonObject report = Await.result(ProductSeeder.reseed(other, data, method));
        assertThat(report.getInteger("skus")).isEqualTo(300);
        rows.add(Await.result(other.query("SELECT string_agg(concat_ws(',', s.sku_id, s.product_id, s.product_size_id, "
          + "s.product_color_id, p.product_name, p.brand_id), ';' ORDER BY s.sku_id) FROM sku s JOIN product p "
          + "USING (product_id)").execute()).iterator().next().getString(0));
      }
      assertThat(rows.get(0)).isEqualTo(rows.get(1)).contains(data.productNames().get(data.skuProducts()[0] - 1));
    } finally {
      Await.result(other.close());
    }
  }

  @Test
  void theBooksJoinReadsOnlyTheFirstRowAndRunsConcurrentlyThroughThePool() {
    Row first = Await.result(JoinQueries.firstRow(pool, 5));
    assertThat(first.getInteger("product_id")).isEqualTo(5);
    assertThat(Await.result(JoinQueries.sequential(pool, 20))).isEqualTo(20);
    assertThat(Await.result(JoinQueries.concurrent(pool, 200))).isEqualTo(200);
    // The connection is usable afterwards: no portal or transaction was left open by the one-row reads.
    assertThat(Await.result(Future.all(List.of(pool.query("SELECT 1").execute(), pool.query("SELECT 1").execute())))
      .size()).isEqualTo(2);
  }

  @Test
  void theDemosPipelinedClientAnswersEveryQueryWithTheSameRowAsThePool() {
    io.vertx.sqlclient.SqlClient client = JoinQueries.pipelinedClient(vertx, Databases.connectOptions(url), 2);
    try {
      Row viaPool = Await.result(JoinQueries.firstRow(pool, 5));
      Row viaClient = Await.result(JoinQueries.firstRow(client, 5));
      assertThat(viaClient.toJson()).isEqualTo(viaPool.toJson());
      // More queries at once than 2 connections x the pipelining limit: the rest wait in the queue, none is lost.
      assertThat(Await.result(JoinQueries.concurrent(client, 1_000))).isEqualTo(1_000);
      assertThat(Await.result(JoinQueries.sequential(client, 20))).isEqualTo(20);
      assertThat(Await.result(JoinQueries.firstRow(client, 999_999))).isNull();
    } finally {
      Await.result(client.close());
    }
  }
}
