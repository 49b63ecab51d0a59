package org.concurrencylab.blocking;

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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chapter 7 demos tell their stories, and what they claim holds. */
class BlockingDemosTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static JsonObject run(Demo demo, Map<String, String> options, ByteArrayOutputStream printed) {
    return Await.result(demo.run(new DemoContext(vertx, new PrintStream(printed, true, StandardCharsets.UTF_8),
      options, new JsonObject())), java.time.Duration.ofSeconds(60));
  }

  @Test
  void blockingTheLoopStallsItAndTheCheckerSaysSoWhileWorkerThreadsDoNot() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonObject claims = run(new ThreadsDemo(), Map.of("n", "6", "delay-ms", "120", "instances", "3"), printed);

    // Six 120 ms calls one after another on the loop: the loop's 10 ms timer waited at least that long.
    assertThat(claims.getDouble("on_loop_ms")).isGreaterThanOrEqualTo(6 * 120);
    assertThat(claims.getDouble("on_loop_stall_ms")).isGreaterThanOrEqualTo(6 * 120);
    assertThat(claims.getInteger("checker_reports")).isPositive();
    assertThat(claims.getLong("checker_longest_ms")).isGreaterThanOrEqualTo(300);
    // Off the loop, the six calls overlap: well under the sum of their delays, and the loop stays free.
    assertThat(claims.getDouble("execute_blocking_ms")).isLessThan(claims.getDouble("on_loop_ms"));
    assertThat(claims.getDouble("execute_blocking_stall_ms")).isLessThan(claims.getDouble("on_loop_stall_ms"));
    assertThat(claims.getDouble("non_blocking_ms")).isLessThan(claims.getDouble("on_loop_ms"));
    // Three worker instances take the six calls three at a time: two rounds of 120 ms at least.
    assertThat(claims.getDouble("worker_ms")).isGreaterThanOrEqualTo(2 * 120);
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Vert.x's checker: the loop was blocked for");
  }

  @Test
  void aCounterLosesUpdatesWithoutALockAndNoneWithOne() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonObject claims = run(new LocksDemo(), Map.of("threads", "4", "increments", "5000", "timeout-ms", "200"), printed);

    assertThat(claims.getLong("expected")).isEqualTo(20_000);
    assertThat(claims.getLong("unlocked")).isLessThan(20_000);
    assertThat(claims.getLong("locked")).isEqualTo(20_000);
    JsonObject deadlock = claims.getJsonObject("deadlock");
    assertThat(deadlock.getBoolean("deadlocked")).isTrue();
    assertThat(deadlock.getJsonArray("cycle").encode()).contains("holds lock A and waits for lock B")
      .contains("holds lock B and waits for lock A");
    assertThat(deadlock.getLong("gave_up")).isEqualTo(1);
    assertThat(claims.getJsonObject("one_order").getBoolean("deadlocked")).isFalse();
  }

  @Test
  void scryptSequentialAndPooledHashTheSamePasswords() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonObject claims = run(new ScryptDemo(), Map.of("n", "8", "workers", "2"), printed);

    assertThat(claims.getInteger("n")).isEqualTo(8);
    assertThat(claims.getDouble("sequential_s")).isPositive();
    assertThat(claims.getDouble("pooled_s")).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("7.16", "7.17", "RFC 7914");
  }
}
