package org.concurrencylab.mapreduce.lessons;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chapter's demos as {@code demo <name>} runs them: what they print and the claims they return. */
class LessonDemosTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private record Run(JsonObject result, String narrative) {
  }

  private static Run run(org.concurrencylab.spi.Demo demo, Map<String, String> options) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonObject result = Await.result(demo.run(new DemoContext(vertx, new PrintStream(printed, true,
      StandardCharsets.UTF_8), options, new JsonObject())), Duration.ofSeconds(60));
    return new Run(result, printed.toString(StandardCharsets.UTF_8));
  }

  @Test
  void twoLoopsRunOnTwoWorkerThreadsAtTheSameTimeWithTheSequentialResults() {
    Run run = run(new ParallelLoopsDemo(), Map.of("a", "300000000", "b", "600000000"));
    JsonObject result = run.result();
    assertThat(result.getJsonObject("results").getBoolean("sameAsSequential")).isTrue();
    assertThat(result.getJsonArray("threads").getString(0)).isNotEqualTo(result.getJsonArray("threads").getString(1));
    assertThat(result.getBoolean("overlapped")).isTrue();
    assertThat(run.narrative()).contains("one after the other").contains("at the same time");
  }

  @Test
  void theSharedCounterDemoReportsEveryStrategy() {
    Run run = run(new SharedCounterDemo(), Map.of("n", "100000", "counter-n", "500"));
    JsonObject results = run.result().getJsonObject("results");
    assertThat(results.fieldNames()).containsExactly("unsafe", "atomic", "lock", "shared_counter");
    assertThat(results.getJsonObject("atomic").getLong("lost")).isZero();
    assertThat(results.getJsonObject("lock").getLong("lost")).isZero();
    assertThat(results.getJsonObject("shared_counter").getLong("actual")).isEqualTo(results.getJsonObject("shared_counter").getLong("expected"));
    assertThat(run.narrative()).contains("AtomicLong").contains("ReentrantLock").contains("shared-data Counter");
  }

  @Test
  void badOptionsAreRefused() {
    assertThatThrownBy(() -> run(new ParallelLoopsDemo(), Map.of("a", "0"))).hasMessageContaining("--a and --b");
    assertThatThrownBy(() -> run(new SharedCounterDemo(), Map.of("n", "lots"))).hasMessageContaining("--n must be an integer");
  }
}
