package org.concurrencylab.chat.client;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench chat} against the lab's server: every user gets every line, counted once, in order. */
class ChatBenchCommandTest {

  private static ChatLab lab;
  private static int port;

  @BeforeAll
  static void start() {
    lab = new ChatLab();
    port = lab.port;
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void aClosedLoopRunCountsEveryLineOfEveryUserAndIgnoresOtherPeoplesLines() throws Exception {
    try (Socket bystander = new Socket("127.0.0.1", port)) {
      bystander.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(bystander.getInputStream(), StandardCharsets.UTF_8));
      bystander.getOutputStream().write("CONNECT bystander\nc0_abcdef: 0 1 not a bench line\n".getBytes(StandardCharsets.UTF_8));
      assertThat(in.readLine()).startsWith("Welcome!");

      JsonObject result = run("--clients", "7", "--messages", "40", "--rate", "0", "--window", "3", "--loops", "2");

      assertThat(result.getLong("expected")).isEqualTo(7L * 7 * 40);
      assertThat(result.getLong("delivered")).isEqualTo(result.getLong("expected"));
      assertThat(result.getLong("sent")).isEqualTo(7L * 40);
      assertThat(result.getLong("lost")).isZero();
      assertThat(result.getLong("out_of_order")).isZero();
      assertThat(result.getDouble("p99_ms")).isPositive();
      assertThat(result.getDouble("client_cpu_s")).isNotNegative();
    }
  }

  @Test
  void anOpenLoopRunSendsAtItsRateAndLosesNothing() throws Exception {
    JsonObject result = run("--clients", "3", "--messages", "10", "--rate", "200", "--loops", "1");

    assertThat(result.getLong("delivered")).isEqualTo(3L * 3 * 10);
    assertThat(result.getLong("lost")).isZero();
    assertThat(result.getLong("dropped_users")).isZero();
  }

  @Test
  void nothingListeningMeansNoUserIsWelcomedAndExitCodeOne() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit = new CommandLine(new ChatBenchCommand(new PrintStream(printed, true, StandardCharsets.UTF_8)))
      .execute("--port", Integer.toString(Ports.free()), "--clients", "2", "--messages", "1");

    assertThat(exit).isEqualTo(1);
  }

  private static JsonObject run(String... args) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String[] all = new String[args.length + 2];
    all[0] = "--port";
    all[1] = Integer.toString(port);
    System.arraycopy(args, 0, all, 2, args.length);
    int exit = new CommandLine(new ChatBenchCommand(new PrintStream(printed, true, StandardCharsets.UTF_8))).execute(all);
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isZero();
    String json = out.lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElseThrow();
    return new JsonObject(json);
  }
}
