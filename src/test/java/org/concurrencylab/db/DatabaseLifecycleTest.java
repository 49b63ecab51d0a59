package org.concurrencylab.db;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's database: the embedded one keeps its data across restarts; with a URL, nothing is started. */
class DatabaseLifecycleTest {

  @TempDir
  Path dir;
  private Vertx vertx;

  @BeforeEach
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() {
    Await.result(vertx.close(), Duration.ofSeconds(30));
  }

  private String deploy(JsonObject config) {
    return Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config.copy()
      .put("services", "db").put("db_seed_on_start", false))), Duration.ofSeconds(90));
  }

  @Test
  void theEmbeddedDatabaseKeepsWhatWasWrittenAcrossARestart() {
    JsonObject config = new JsonObject().put("data_dir", dir.toString());
    String first = deploy(config);
    int brand = Await.result(Bus.<JsonObject>request(vertx, Products.CREATE_BRANDS,
      new JsonObject().put("brand_names", new JsonArray().add("kept_brand")))).getJsonArray("brand_ids").getInteger(0);
    int product = Await.result(Bus.<JsonObject>request(vertx, Products.CREATE,
      new JsonObject().put("product_name", "kept across restarts").put("brand_id", brand))).getInteger("product_id");
    Await.result(vertx.undeploy(first), Duration.ofSeconds(30));
    assertThat(dir.resolve("postgres")).isDirectory();

    deploy(config);
    JsonObject read = Await.result(Bus.request(vertx, Products.GET, new JsonObject().put("product_id", product)));
    assertThat(read.getString("product_name")).isEqualTo("kept across restarts");
  }

  @Test
  void withADatabaseUrlNothingIsStartedAndThatServerIsUsed() throws Exception {
    String url = TestDatabase.freshDatabase("given_url");
    deploy(new JsonObject().put("data_dir", dir.toString()).put("db_url", url));
    Await.result(Bus.request(vertx, Products.CREATE_BRANDS,
      new JsonObject().put("brand_names", new JsonArray().add("in_the_given_server"))));

    assertThat(Files.exists(dir.resolve("postgres"))).as("no embedded data directory").isFalse();
    try (var connection = java.sql.DriverManager.getConnection(url.replace("postgresql://postgres@", "jdbc:postgresql://"),
      "postgres", "");
         var rows = connection.createStatement().executeQuery("SELECT count(*) FROM brand WHERE brand_name = 'in_the_given_server'")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
  }
}
