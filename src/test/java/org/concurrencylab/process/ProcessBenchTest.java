package org.concurrencylab.process;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench process} measures what it says and ends with one JSON line in the peer's terms. */
class ProcessBenchTest {

  @TempDir
  Path dir;

  private JsonObject bench(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new ProcessBench()).execute(args);
      assertThat(code).isZero();
    } finally {
      System.setOut(original);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    return new JsonObject(lines.get(lines.size() - 1));
  }

  @Test
  void spawnModeRunsEveryChildAndReportsTheTimersLateness() {
    JsonObject result = bench("--n", "20", "--concurrency", "4", "--warmup", "0", "--data-dir", dir.toString());
    assertThat(result.getString("mode")).isEqualTo("spawn");
    assertThat(result.getJsonObject("exit_codes")).isEqualTo(new JsonObject().put("0", 20));
    assertThat(result.getLong("per_s")).isPositive();
    assertThat(result.getLong("ticks")).isPositive();
    assertThat(result.containsKey("tick_p99_ms")).isTrue();
    assertThat(result.getJsonObject("cpu_threads_ms")).as("CPU by thread role over the timed part").isNotNull();
    assertThat(result.getJsonObject("sched_per_op").getJsonObject("event loop"))
      .as("the scheduler's view of the event loop over the timed part (Linux)").isNotNull();
  }

  @Test
  void spawnModeRunsOnTheEpollTransportWithAWarmUp() {
    JsonObject result = bench("--n", "5", "--concurrency", "2", "--warmup", "5", "--transport", "epoll",
      "--data-dir", dir.toString());
    assertThat(result.getJsonObject("exit_codes")).as("the warm-up's spawns are not counted")
      .isEqualTo(new JsonObject().put("0", 5));
    assertThat(result.getString("loop")).isIn("vertx-epoll", "vertx-nio"); // nio where the kernel refuses epoll
  }

  @Test
  void directModeStartsTheChildrenWithoutTheService() {
    JsonObject result = bench("--direct", "--n", "6", "--concurrency", "3", "--warmup", "2", "--data-dir", dir.toString());
    assertThat(result.getBoolean("direct")).isTrue();
    assertThat(result.getJsonObject("exit_codes")).isEqualTo(new JsonObject().put("0", 6));
    assertThat(result.getJsonObject("sched_per_op").getJsonObject("bench-spawn")).as("the threads that started them")
      .isNotNull();
  }

  @Test
  void pipeModeReadsEveryByte() {
    JsonObject result = bench("--mode", "pipe", "--lines", "50000", "--data-dir", dir.toString());
    assertThat(result.getLong("lines")).isEqualTo(50_000);
    assertThat(result.getLong("bytes")).isEqualTo(700_000);
    assertThat(result.getInteger("exit_code")).isZero();
  }
}
