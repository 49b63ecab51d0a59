package org.concurrencylab.process;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.LabProcess;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab as its users start it, with the process and loop services: settings from the environment
 * ({@code LAB_PROCESS_ALLOW}), the start table, request ids in the real log lines, and no child left behind
 * when the lab stops.
 */
class ProcessLaunchTest {

  private static final Duration START = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  @Test
  void theLabRunsOnlyTheAllowedCommandsLogsRequestIdsAndTakesItsChildrenDownWithIt() throws IOException {
    int http = Ports.free();
    int logger = Ports.free();
    int echo = Ports.free();
    try (LabProcess lab = LabProcess.start(dir, Map.of("LAB_SERVICES", "process,loop,http",
      "LAB_HTTP_PORT", String.valueOf(http), "LAB_HTTP_INSTANCES", "1", "LAB_LOOP_LOGGER_PORT", String.valueOf(logger),
      "LAB_LOOP_ECHO_PORT", String.valueOf(echo), "LAB_PROCESS_ALLOW", "echo,sleep", "LAB_NODE_NAME", "lab-one",
      "LAB_DATA_DIR", dir.resolve("data").toString()))) {
      lab.awaitStdout("Stop with Ctrl-C or SIGTERM.", START);
      String table = String.join("\n", lab.stdout());
      assertThat(table).contains("process.run").contains("tcp://127.0.0.1:" + logger)
        .contains("tcp://127.0.0.1:" + echo);
      String base = "http://127.0.0.1:" + http;

      // LAB_PROCESS_ALLOW is the whole list: echo runs, ls (allowed by default) no longer does.
      Http.Response ran = Http.post(base + "/processes?wait=true", "{\"command\":\"echo\",\"args\":[\"from\",\"env\"]}");
      assertThat(ran.status()).isEqualTo(200);
      assertThat(ran.json().getString("stdout")).isEqualTo("from env\n");
      Http.Response refused = Http.post(base + "/processes", "{\"command\":\"ls\"}");
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.json().getString("message")).contains("'ls' is not allowed (allowed: echo, sleep;");
      JsonObject stats = Http.get(base + "/health").json().getJsonObject("services").getJsonObject("process")
        .getJsonObject("stats");
      assertThat(stats.getInteger("max")).isEqualTo(Runtime.getRuntime().availableProcessors()); // default: cores

      // A line for the 14.2 logger: its id shows in both of the lab's log lines it caused, as [req <id>].
      String reply = lineRoundTrip(logger, "hello from a test\n");
      assertThat(reply).matches("logged [0-9a-f]{16} on lab-one");
      String tag = "[req " + reply.split(" ")[1] + "]";
      Await.until(() -> lab.stderr().stream().anyMatch(line -> line.contains(tag) && line.contains("recorded \"hello from a test\"")),
        Duration.ofSeconds(10), "the log book's line with the request id");
      assertThat(lab.stderr()).anyMatch(line -> line.contains(tag) && line.contains("Got message hello from a test from"));

      // The echo on the lab's own event loop answers on its port.
      assertThat(lineRoundTrip(echo, "over our own loop\n")).isEqualTo("over our own loop");

      // A child that would run for a long while ends with the lab (sleep reads no stdin and writes nothing, so
      // only the lab's stop can end it early).
      Http.Response started = Http.post(base + "/processes", "{\"command\":\"sleep\",\"args\":[\"600\"]}");
      long pid = started.json().getLong("pid");
      assertThat(ProcessHandle.of(pid)).hasValueSatisfying(handle -> assertThat(handle.isAlive()).isTrue());
      lab.terminate();
      assertThat(lab.awaitExit(Duration.ofSeconds(15))).isZero();
      Await.until(() -> ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true), Duration.ofSeconds(10),
        "the child " + pid + " ended with the lab");
    }
  }

  /** Sends one line, reads one line back. */
  private static String lineRoundTrip(int port, String line) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
  }
}
