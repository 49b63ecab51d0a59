package org.concurrencylab.queue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.concurrencylab.app.LabConfig;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.database.Databases;
import org.concurrencylab.queue.order.OrderWorkers;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order app over HTTP, in the lab's own HTTP server: 202 and an id at once, states, power users first,
 * 503 with Retry-After when full, and clear errors for bad input. The lab node here takes orders but runs
 * no workers ({@code order_workers: 0}); the test starts workers when it wants the orders processed.
 */
class OrderAppTest {

  private static Vertx vertx;
  private static Pool pool;
  private static JsonObject config;
  private static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    int port = Ports.free();
    config = LabConfig.resolve(LabConfig.defaults(), java.util.Map.of(), new JsonObject()
      .put("services", "queue,http").put("http_port", port).put("http_instances", 1)
      .put("db_url", TestDatabase.freshDatabase("orders")).put("order_workers", 0)
      .put("order_queue_max", 4).put("order_work_ms_max", 20));
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config)), Duration.ofSeconds(60));
    pool = Databases.pool(vertx, config, 2);
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() {
    Await.result(pool.close());
    Await.result(vertx.close());
  }

  private static long place(String body) {
    Http.Response response = Http.post(base + "/order", body);
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    assertThat(response.headers().firstValue("location")).contains("/order/" + response.json().getLong("id"));
    assertThat(response.json().getString("state")).isEqualTo("queued");
    return response.json().getLong("id");
  }

  private static JsonObject order(long id) {
    Http.Response response = Http.get(base + "/order/" + id);
    assertThat(response.status()).isEqualTo(200);
    return response.json();
  }

  private static String workersRun(int workers) {
    return Await.result(vertx.deployVerticle(new OrderWorkers("test"),
      new DeploymentOptions().setConfig(config.copy().put("order_workers", workers))));
  }

  @Test
  void ordersAreQueuedAtOnceRefusedWith503WhenFullAndProcessedPowerUsersFirst() {
    Await.result(pool.query("DELETE FROM orders").execute());
    List<Long> ids = new ArrayList<>();
    ids.add(place(""));                          // no body: a normal user
    ids.add(place("{\"power_user\": true}"));
    ids.add(place("{\"power_user\": false}"));
    ids.add(place("{\"power_user\": \"True\"}")); // the book's spelling
    assertThat(ids).doesNotHaveDuplicates();
    ids.forEach(id -> assertThat(order(id).getString("state")).isEqualTo("queued"));

    Http.Response full = Http.post(base + "/order", "{}");
    assertThat(full.status()).isEqualTo(503);
    assertThat(full.headers().firstValue("retry-after")).contains("1");
    assertThat(full.json().getString("error")).isEqualTo("unavailable");

    // One worker makes the order of processing visible.
    String workers = workersRun(1);
    try {
      Await.until(() -> ids.stream().allMatch(id -> order(id).getString("state").equals("done")),
        Duration.ofSeconds(30), "every order done");
      List<Long> completionOrder = new ArrayList<>();
      Await.result(pool.query("SELECT id FROM orders ORDER BY completed_at, id").execute())
        .forEach((Row row) -> completionOrder.add(row.getLong(0)));
      assertThat(completionOrder).containsExactly(ids.get(1), ids.get(3), ids.get(0), ids.get(2));
      ids.forEach(id -> assertThat(order(id).getInteger("completions")).isEqualTo(1));
      assertThat(place("{}")).isPositive(); // room again
    } finally {
      Await.result(vertx.undeploy(workers));
    }
  }

  @Test
  void anOrderInHandShowsAsWorking() {
    Await.result(pool.query("DELETE FROM orders").execute());
    long id = place("{}");
    Await.result(pool.query("UPDATE orders SET work_ms = 1500 WHERE id = " + id).execute());
    String workers = workersRun(1);
    try {
      Await.until(() -> order(id).getString("state").equals("working"),
        Duration.ofSeconds(10), "the order shown as working");
      Await.until(() -> order(id).getString("state").equals("done"),
        Duration.ofSeconds(10), "the order done");
      assertThat(order(id).getString("worker")).isEqualTo("test/worker-1");
    } finally {
      Await.result(vertx.undeploy(workers));
    }
  }

  @Test
  void badInputGetsAClearError() {
    Http.Response notJson = Http.post(base + "/order", "{power");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().getString("error")).isEqualTo("bad_request");
    assertThat(Http.post(base + "/order", "{\"power_user\": 7}").status()).isEqualTo(400);
    assertThat(Http.post(base + "/order", "[1,2]").status()).isEqualTo(400);
    assertThat(Http.send(HttpRequest.newBuilder(URI.create(base + "/order"))
      .POST(HttpRequest.BodyPublishers.ofString("x".repeat(10_000)))).status()).isEqualTo(413);
    assertThat(Http.get(base + "/order/abc").status()).isEqualTo(400);
    Http.Response missing = Http.get(base + "/order/987654321");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().getString("error")).isEqualTo("not_found");
  }
}
