package org.concurrencylab.blocking.loadtest;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code loadtest.start} with its progress messages, and the {@code loadtest} command, against the stub. */
class LoadTestServiceTest {

  private static Vertx vertx;
  private static int stubPort;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    stubPort = Ports.free();
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "stub,loadtest").put("stub_port", stubPort))));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private String stub(String query) {
    return "http://127.0.0.1:" + stubPort + "/" + query;
  }

  @Test
  void progressIsPublishedThenTheResultWithFailuresByKind() {
    List<JsonObject> messages = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> progress = vertx.eventBus().consumer("loadtest.progress.t1", m -> messages.add(m.body()));
    Await.result(progress.completion());
    try {
      // 50 ms a request: 400 of them 20 at a time take a second at least, so the 250 ms progress ticks come before
      // the end on any machine (at 2 ms, a fast machine could finish before the first tick).
      JsonObject started = Await.result(Bus.request(vertx, "loadtest.start", new JsonObject().put("id", "t1")
        .put("url", stub("?delay_ms=50&fail_rate=0.25&seed=3")).put("n", 400).put("concurrency", 20)));
      assertThat(started.getString("progress")).isEqualTo("loadtest.progress.t1");

      Await.until(() -> messages.stream().anyMatch(m -> !m.getString("state").equals("running")),
        Duration.ofSeconds(30), "the final progress message");
      JsonObject last = messages.get(messages.size() - 1);
      assertThat(last.getString("state")).isEqualTo("done");
      JsonObject result = last.getJsonObject("result");
      assertThat(result.getLong("count")).isEqualTo(400);
      assertThat(result.getLong("errors")).isPositive().isLessThan(400);
      assertThat(result.getJsonObject("errorsByKind").getLong("HTTP 500")).isEqualTo(result.getLong("errors"));
      assertThat(result.getJsonObject("latency").getLong("count")).isEqualTo(400);
      assertThat(result.getJsonArray("histogram")).hasSize(12);
      assertThat(messages.get(0).getString("state")).isEqualTo("running");
    } finally {
      progress.unregister();
    }
  }

  @Test
  void badRequestsAndRefusedHostsAre400() {
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("url", stub("")).put("n", -1),
      new JsonObject().put("url", stub("")).put("n", 10).put("concurrency", 0),
      new JsonObject().put("url", "http://example.com/").put("n", 10),
      new JsonObject().put("url", "python://bad").put("n", 10),
      new JsonObject().put("url", stub("")).put("n", 10).put("id", "no spaces allowed"))) {
      Throwable failure = Await.failure(Bus.request(vertx, "loadtest.start", bad), Duration.ofSeconds(5));
      assertThat(((ReplyException) failure).failureCode()).as(bad.encode()).isEqualTo(400);
    }
  }

  @Test
  void theCommandPrintsASummaryAndOneJsonLine() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    LoadTestCommand command = new LoadTestCommand(new PrintStream(printed, true, StandardCharsets.UTF_8));
    int exit = new picocli.CommandLine(command).execute(stub("?status=503"), "-n", "50", "-c", "5",
      "--timeout-ms", "5000");

    assertThat(exit).isZero();
    String out = printed.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("progress: 100%  50/50").contains("failures    HTTP 503: 50").contains("p99");
    String json = out.lines().filter(line -> line.startsWith("{")).reduce((a, b) -> b).orElseThrow();
    JsonObject result = new JsonObject(json);
    assertThat(result.getLong("count")).isEqualTo(50);
    assertThat(result.getJsonObject("statuses").getLong("503")).isEqualTo(50);
    assertThat(result.getDouble("cpu_s")).isNotNegative();
  }

  @Test
  void theWarmUpReachesTheServerButNotTheResult() {
    long before = Http.get(stub("stats")).json().getLong("requests");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit = new picocli.CommandLine(new LoadTestCommand(new PrintStream(printed, true, StandardCharsets.UTF_8)))
      .execute(stub(""), "-n", "20", "-c", "5", "--warmup", "33");

    assertThat(exit).isZero();
    String json = printed.toString(StandardCharsets.UTF_8).lines().filter(line -> line.startsWith("{"))
      .reduce((a, b) -> b).orElseThrow();
    assertThat(new JsonObject(json).getLong("count")).isEqualTo(20);
    assertThat(Http.get(stub("stats")).json().getLong("requests") - before).isEqualTo(20 + 33);
  }

  @Test
  void aTimeoutIsAFailureOfItsOwnKind() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    int exit = new picocli.CommandLine(new LoadTestCommand(new PrintStream(printed, true, StandardCharsets.UTF_8)))
      .execute(stub("?delay_ms=5000"), "-n", "3", "-c", "3", "--timeout-ms", "200");
    assertThat(exit).isZero();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("failures    timeout: 3");
  }

  @Test
  void theCommandRunsOnTheTransportLabTransportNames() {
    // epoll is the benchmark's choice; where the kernel refuses it the command falls back to NIO, as a lab node does.
    assertThat(LoadTestCommand.transport("nio")).isSameAs(Transport.NIO);
    assertThat(LoadTestCommand.transport(" EPOLL ")).isSameAs(Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO);
    assertThatThrownBy(() -> LoadTestCommand.transport("uvloop")).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("unknown transport");
  }

  @Test
  void theCommandRefusesHostsOutsideTheAllowList() {
    int exit = new picocli.CommandLine(new LoadTestCommand(new PrintStream(new ByteArrayOutputStream())))
      .execute("http://example.com/", "-n", "1");
    assertThat(exit).isEqualTo(2);
  }
}
