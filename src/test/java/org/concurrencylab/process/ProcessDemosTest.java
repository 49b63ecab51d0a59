package org.concurrencylab.process;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabConfig;
import org.concurrencylab.process.demo.EncryptDemo;
import org.concurrencylab.process.demo.InteractiveDemo;
import org.concurrencylab.process.demo.ListFilesDemo;
import org.concurrencylab.process.demo.PipeDemo;
import org.concurrencylab.process.demo.TimeoutDemo;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The chapter 13 demos do what they print. */
class ProcessDemosTest {

  @TempDir
  static Path dataDir;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private Vertx vertx;

  /** A Vert.x of its own per demo, as {@code demo <name>} gives it. */
  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close());
  }

  private JsonObject run(Demo demo, Map<String, String> options) {
    JsonObject config = LabConfig.defaults().put("data_dir", dataDir.toString());
    DemoContext context = new DemoContext(vertx, new PrintStream(printed, true, StandardCharsets.UTF_8), options, config);
    return Await.result(demo.run(context), Duration.ofSeconds(90));
  }

  private String printed() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  @Test
  void lsRunsAndPrintsItsListing() {
    JsonObject result = run(new ListFilesDemo(), Map.of());
    assertThat(result.getInteger("exitCode")).isZero();
    assertThat(printed()).contains("| total");
  }

  @Test
  void sleepThreeIsTerminatedAtTheOneSecondTimeout() {
    JsonObject result = run(new TimeoutDemo(), Map.of());
    assertThat(result.getBoolean("timedOut")).isTrue();
    assertThat(result.getInteger("exitCode")).isEqualTo(143);
    assertThat(result.getDouble("ms")).isLessThan(3_000.0); // the demo's claim: it did not wait the 3 s out
  }

  @Test
  void theNaiveWaitDeadlocksAndTheServiceReadsEveryLine() {
    JsonObject result = run(new PipeDemo(), Map.of("lines", "200000", "stuck-ms", "500"));
    assertThat(result.getJsonObject("naive").getBoolean("stuck")).isTrue();
    assertThat(result.getJsonObject("naive").getLong("pipeBytes")).isPositive();
    assertThat(result.getInteger("exitCode")).isZero();
    assertThat(result.getLong("readLines")).isEqualTo(200_000);
    assertThat(result.getLong("readBytes")).isEqualTo(2_800_000);
  }

  @Test
  void theInteractiveChildIsAnsweredAtEachPromptUntilQuit() {
    JsonObject result = run(new InteractiveDemo(), Map.of());
    assertThat(result.getInteger("exitCode")).isZero();
    assertThat(result.getInteger("prompts")).isEqualTo(5);
    assertThat(result.getJsonArray("transcript").getList()).containsSubsequence(
      "we: one", "child: one", "child: one", "we: two", "we: three", "we: four", "we: quit", "child: quit");
  }

  @Test
  void textsAreEncryptedAllAtOnceAndBoundedAndOneDecryptsBack() {
    JsonObject result = run(new EncryptDemo(), Map.of("texts", "6"));
    assertThat(result.getJsonObject("allAtOnce").getLong("failed")).isZero();
    assertThat(result.getJsonObject("bounded").getLong("failed")).isZero();
    assertThat(result.getBoolean("roundTrip")).isTrue();
  }
}
