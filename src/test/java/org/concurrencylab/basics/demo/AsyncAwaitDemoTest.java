package org.concurrencylab.basics.demo;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chapter's flows written with future.await() on a virtual-thread verticle. */
class AsyncAwaitDemoTest {

  /** One of the book's seconds: long enough that a loaded machine's scheduling stays small beside it. */
  private static final long SECOND_MS = 200;

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void theFlowsRunOnAVirtualThreadAndKeepTheirClaims() {
    DemoRun run = DemoRun.of(new AsyncAwaitDemo(), vertx, Map.of("second-ms", String.valueOf(SECOND_MS), "n", "30"));
    JsonObject claims = run.claims();
    assertThat(claims.getBoolean("skipped")).isFalse();
    assertThat(claims.getString("flow_thread")).contains("VirtualThread");
    // The claim: three delays of 3 s awaited in about 3 s, not the 9 s of their sum. Under the sum is the bound;
    // a tighter one measured how late a loaded machine runs the virtual thread (697 ms once, bound 600 at 100 ms).
    assertThat(claims.getDouble("three_delays_ms")).isGreaterThanOrEqualTo(3.0 * SECOND_MS).isLessThan(9.0 * SECOND_MS);
    assertThat(claims.getInteger("hellos")).isEqualTo(2);
    JsonObject waitFor = claims.getJsonObject("wait_for");
    assertThat(waitFor.getBoolean("timed_out")).isTrue();
    assertThat(waitFor.getBoolean("task_cancelled")).isTrue();
    assertThat(claims.getJsonObject("cancel").getBoolean("cancelled")).isTrue();
    JsonObject shield = claims.getJsonObject("shield");
    assertThat(shield.getDouble("timed_out_after_ms")).isGreaterThanOrEqualTo(5.0 * SECOND_MS);
    assertThat(shield.getInteger("task_result")).isEqualTo(10);
    assertThat(shield.getDouble("done_after_ms")).isGreaterThanOrEqualTo(10.0 * SECOND_MS);
    assertThat(claims.getJsonObject("cpu").getLong("fib")).isEqualTo(514_229);
    assertThat(claims.getJsonObject("cpu").getLong("fib_next")).isEqualTo(832_040);
    // The two flows interleaved on one context: the hellos came while the delays were awaited.
    String output = run.output();
    assertThat(output.indexOf("I'm running other code"))
      .isGreaterThan(output.indexOf("sleeping for 3 second(s)"))
      .isLessThan(output.indexOf("finished sleeping for 3 second(s)"));
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void withoutVirtualThreadsTheDemoSaysSoAndSkips() {
    DemoRun run = DemoRun.of(new AsyncAwaitDemo(), vertx, Map.of("second-ms", "100"));
    assertThat(run.claims().getBoolean("skipped")).isTrue();
    assertThat(run.claims().getString("reason")).contains("does not support virtual threads");
    assertThat(run.output()).contains("Skipped: this Java runtime (" + Runtime.version().feature() + ") has no virtual threads");
  }
}
