package org.concurrencylab.app;

import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.LabProcess;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab as its users start it: a process, its table, its health, its exit codes. */
class LaunchTest {

  private static final Duration START = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void startsPrintsWhereItListensAnswersHealthAndExitsZeroOnSigterm() {
    int port = Ports.free();
    try (LabProcess lab = LabProcess.start(dir, Map.of("LAB_HTTP_PORT", String.valueOf(port),
      "LAB_SERVICES", "http", "LAB_DATA_DIR", dir.resolve("data").toString()))) {
      lab.awaitStdout("Stop with Ctrl-C or SIGTERM.", START);
      assertThat(String.join("\n", lab.stdout())).contains("http://127.0.0.1:" + port);

      Http.Response health = Http.get("http://127.0.0.1:" + port + "/health");
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.json().getString("status")).isEqualTo("up");
      assertThat(health.json().getJsonObject("services").getJsonObject("http").getString("state")).isEqualTo("up");

      Http.Response missing = Http.get("http://127.0.0.1:" + port + "/no/such/page");
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.json().getString("error")).isEqualTo("not_found");

      long stopping = System.nanoTime();
      lab.terminate();
      assertThat(lab.awaitExit(Duration.ofSeconds(10))).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void aPortThatIsNotANumberStopsStartUpWithExitCodeTwo() {
    try (LabProcess lab = LabProcess.start(dir, Map.of("LAB_HTTP_PORT", "abc"))) {
      assertThat(lab.awaitExit(START)).isEqualTo(2);
      assertThat(lab.stderr()).containsExactly("error: LAB_HTTP_PORT=abc: not an integer");
    }
  }

  @Test
  void anUnknownServiceStopsStartUpWithExitCodeTwo() {
    try (LabProcess lab = LabProcess.start(dir, Map.of("LAB_SERVICES", "http,teleport"))) {
      assertThat(lab.awaitExit(START)).isEqualTo(2);
      assertThat(lab.stderr()).hasSize(1);
      assertThat(lab.stderr().get(0)).startsWith("error: LAB_SERVICES=http,teleport: unknown service 'teleport'");
    }
  }

  @Test
  void aPortInUseStopsStartUpNamingThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         LabProcess lab = LabProcess.start(dir, Map.of("LAB_SERVICES", "http",
           "LAB_HTTP_PORT", String.valueOf(taken.getLocalPort())))) {
      assertThat(lab.awaitExit(START)).isEqualTo(2);
      assertThat(lab.stderr()).anyMatch(line -> line.equals("error: LAB_HTTP_PORT: cannot listen on 127.0.0.1:"
        + taken.getLocalPort() + " (address already in use)"));
    }
  }
}
