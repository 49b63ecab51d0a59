package org.concurrencylab.web;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.database.EmbeddedDatabase;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stopped and started again under load: while it is down the API answers 503 JSON (never 500,
 * never a hang), and once it is back the API serves again without a restart. The test runs a PostgreSQL of
 * its own, on a fixed port so that it comes back where the pool expects it.
 */
class DatabaseOutageTest {

  private static Vertx vertx;
  private static EmbeddedDatabase database;
  private static Path dataDir;
  private static int dbPort;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    dataDir = Files.createTempDirectory("lab-outage").resolve("pg");
    dbPort = Ports.free();
    database = EmbeddedDatabase.start(dataDir, dbPort);
    vertx = Vertx.vertx();
    int port = Ports.free();
    base = "http://127.0.0.1:" + port;
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "db,web,http").put("http_port", port).put("http_instances", 1)
      .put("db_url", database.url()))), Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    Await.result(vertx.close());
    database.close();
  }

  @Test
  void answers503WhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
    assertThat(Http.get(base + "/brands").status()).isEqualTo(200);

    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    ExecutorService load = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      int client = i;
      load.submit(() -> {
        while (running.get()) {
          Http.Response response = Http.get(base + (client % 2 == 0 ? "/brands" : "/products/" + (1 + client)));
          statuses.computeIfAbsent(response.status(), s -> new AtomicInteger()).incrementAndGet();
          if (response.status() != 200) {
            assertThat(new JsonObject(response.body()).getString("error")).isNotBlank();
          }
        }
        return null;
      });
    }
    try {
      Await.until(() -> statuses.containsKey(200), Duration.ofSeconds(10), "the load gets answers");
      database.close();

      Http.Response down = Http.get(base + "/brands");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.json().getString("error")).isEqualTo("unavailable");
      assertThat(down.json().getString("message")).contains("database");
      assertThat(Http.get(base + "/products/7").status()).isEqualTo(503);
      assertThat(Http.post(base + "/product", "{\"product_name\": \"x\", \"brand_id\": 1}").status()).isEqualTo(503);

      database = EmbeddedDatabase.start(dataDir, dbPort);
      Await.until(() -> Http.get(base + "/brands").status() == 200, Duration.ofSeconds(30),
        "the API serves again once PostgreSQL is back");
      assertThat(Http.get(base + "/products/7").status()).isEqualTo(200);
    } finally {
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(statuses.keySet()).as("statuses seen under load: %s", statuses).containsOnly(200, 503);
  }
}
