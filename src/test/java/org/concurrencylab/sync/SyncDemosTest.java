package org.concurrencylab.sync;

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

/** Each chapter-11 demo tells the bug and the fix, and its numbers say so. */
class SyncDemosTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  static JsonObject run(Vertx vertx, java.util.List<Demo> demos, String name, Map<String, String> options, StringBuilder printed) {
    Demo demo = demos.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonObject result = Await.result(demo.run(new DemoContext(vertx, new PrintStream(out, true, StandardCharsets.UTF_8),
      options, new JsonObject())), Duration.ofSeconds(60));
    printed.append(out.toString(StandardCharsets.UTF_8));
    return result;
  }

  private static JsonObject run(String name, Map<String, String> options) {
    return run(vertx, new SyncModule().demos(), name, options, new StringBuilder());
  }

  @Test
  void lostUpdateLosesWithoutTheLockOnly() {
    JsonObject result = run("lost-update", Map.of("tasks", "50"));
    assertThat(result.getInteger("without_lock")).isLessThan(50);
    assertThat(result.getInteger("with_lock")).isEqualTo(50);
  }

  @Test
  void broadcastRaceFailsWithoutTheLockOnly() {
    JsonObject result = run("broadcast-race", Map.of("send-ms", "60"));
    assertThat(result.getString("without_lock_error")).isEqualTo("ConcurrentModificationException");
    assertThat(result.getString("with_lock_error")).isNull();
    assertThat(result.getJsonArray("users_after").getList()).containsExactly("user-1", "user-3");
  }

  @Test
  void semaphoreRequestsKeepsTheServerAtTenAtOnce() {
    JsonObject result = run("semaphore-requests", Map.of("requests", "300", "delay-ms", "5"));
    assertThat(result.getInteger("max_in_flight_without")).isGreaterThan(10);
    assertThat(result.getInteger("max_in_flight_with")).isBetween(1, 10);
    assertThat(result.getInteger("ok_with")).isEqualTo(300);
  }

  @Test
  void boundedSemaphoreRefusesTheExtraRelease() {
    JsonObject result = run("bounded-semaphore", Map.of());
    assertThat(result.getInteger("plain_available")).isEqualTo(3);
    assertThat(result.getString("bounded_error")).contains("released too often");
    assertThat(result.getInteger("bounded_available")).isEqualTo(2);
  }

  @Test
  void uploadEventAndMissedTriggers() {
    JsonObject result = run("upload-event", Map.of("kb", "64"));
    assertThat(result.getDouble("upload_ms")).isPositive();
    assertThat(result.getInteger("handled")).isLessThan(result.getInteger("triggers"));
  }

  @Test
  void connectionReadyQueriesWaitForTheCondition() {
    JsonObject result = run("connection-ready", Map.of("init-ms", "100"));
    assertThat(result.getJsonArray("without_waiting").getString(0)).contains("not ready");
    assertThat(result.getJsonArray("with_condition").getList()).containsExactly("result of select * from a",
      "result of select * from b");
  }
}
