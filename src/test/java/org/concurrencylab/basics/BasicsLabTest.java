package org.concurrencylab.basics;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.cli.DemoCommand;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.LabProcess;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code basics} as a user meets it: in the lab's health and the {@code demo} command. */
class BasicsLabTest {

  @TempDir
  Path dir;

  private static int demo(ByteArrayOutputStream printed, String... args) {
    DemoCommand command = new DemoCommand(new BasicsModule().demos(), new JsonObject(),
      new PrintStream(printed, true, StandardCharsets.UTF_8));
    return new CommandLine(command).execute(args);
  }

  @Test
  void demoListNamesEveryDemoOfTheChapters() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    assertThat(demo(printed, "--list")).isZero();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("cpu-vs-io", "tasks", "cancel", "wait-for", "shield",
      "blocked-loop", "async-await");
  }

  @Test
  void aDemoPrintsItsStoryThenItsClaimsAsOneJsonLine() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    assertThat(demo(printed, "tasks", "--second-ms", "20")).isZero();
    String[] lines = printed.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertThat(lines[0]).startsWith("Listings 2.9, 2.10");
    assertThat(new JsonObject(lines[lines.length - 1]).getInteger("tasks")).isEqualTo(3);
  }

  @Test
  void aBadOptionIsRefusedWithExitCodeTwo() {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    assertThat(demo(printed, "tasks", "--second-ms", "soon")).isEqualTo(2);
    assertThat(demo(printed, "cpu-vs-io", "--n", "99")).isEqualTo(2);
  }

  @Test
  void theLabStartsBasicsAndItsHealthSaysItIsUp() {
    int port = Ports.free();
    try (LabProcess lab = LabProcess.start(dir, Map.of("LAB_SERVICES", "basics,http",
      "LAB_HTTP_PORT", String.valueOf(port), "LAB_DATA_DIR", dir.resolve("data").toString()))) {
      lab.awaitStdout("Stop with Ctrl-C or SIGTERM.", Duration.ofSeconds(60));
      assertThat(String.join("\n", lab.stdout())).contains("basics");
      Http.Response health = Http.get("http://127.0.0.1:" + port + "/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().getJsonObject("services").getJsonObject("basics").getString("state")).isEqualTo("up");
      lab.terminate();
      assertThat(lab.awaitExit(Duration.ofSeconds(10))).isZero();
    }
  }
}
