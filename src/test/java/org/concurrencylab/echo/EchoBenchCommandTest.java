package org.concurrencylab.echo;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench echo} against live servers: it measures, prints its table and ends with one JSON line. */
class EchoBenchCommandTest {

  private static EchoLab lab;

  @BeforeAll
  static void start() {
    lab = EchoLab.start();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void printsRoundTripsPercentilesAndOneJsonLine(String server) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    long echoedBefore = lab.stat(server, "bytes_echoed");
    int code = new CommandLine(new EchoBenchCommand(new PrintStream(printed, true, StandardCharsets.UTF_8)))
      .execute("--port", String.valueOf(lab.port(server)), "--connections", "4", "--size", "3000",
        "--duration", "1", "--warmup", "0.2");

    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(code).isZero();
    assertThat(lines).anyMatch(line -> line.contains("round trips/s"));
    JsonObject result = new JsonObject(lines.get(lines.size() - 1));
    assertThat(result.getString("bench")).isEqualTo("echo");
    assertThat(result.getInteger("connections")).isEqualTo(4);
    assertThat(result.getInteger("size")).isEqualTo(3000);
    assertThat(result.getLong("round_trips")).isPositive();
    assertThat(result.getLong("errors")).isZero();
    assertThat(result.getDouble("p99_ms")).isGreaterThanOrEqualTo(result.getDouble("p50_ms")).isPositive();
    // The server saw at least the measured round trips' bytes.
    assertThat(lab.stat(server, "bytes_echoed") - echoedBefore).isGreaterThanOrEqualTo(result.getLong("round_trips") * 3000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"--connections=0", "--size=-1", "--duration=0"})
  void badOptionsAreRefusedWithExitCodeTwo(String option) {
    int code = new CommandLine(new EchoBenchCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
      .execute("--port", String.valueOf(lab.port(EchoLab.TCP)), option);
    assertThat(code).isEqualTo(2);
  }

  @org.junit.jupiter.api.Test
  void noServerIsAClearFailure() {
    int code = new CommandLine(new EchoBenchCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
      .execute("--port", String.valueOf(org.concurrencylab.testsupport.Ports.free()), "--duration", "1");
    assertThat(code).isEqualTo(1);
  }
}
