package org.concurrencylab.loop;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.LogCapture;
import org.concurrencylab.testsupport.TestCluster;
import org.concurrencylab.trace.RequestIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The book's 14.2 line logger on node A, its log book ({@code loop.record}) on node B: one line's request id
 * shows in node A's log line and in node B's, and each connection's lines name their own peer.
 */
class RequestIdAcrossNodesTest {

  private static Vertx nodeA;
  private static Vertx nodeB;
  private static String loggerDeployment;
  private static String recordDeployment;
  private static int port;

  @BeforeAll
  static void deploy() {
    nodeA = TestCluster.node(0);
    nodeB = TestCluster.node(1);
    RequestIds.install(nodeA);
    RequestIds.install(nodeB);
    recordDeployment = Await.result(nodeB.deployVerticle(new RecordVerticle("node-b")));
    LineLoggerVerticle logger = new LineLoggerVerticle();
    loggerDeployment = Await.result(nodeA.deployVerticle(logger,
      new DeploymentOptions().setConfig(new JsonObject().put("loop_logger_port", 0))));
    port = logger.actualPort();
  }

  @AfterAll
  static void undeploy() {
    Await.result(nodeA.undeploy(loggerDeployment));
    Await.result(nodeB.undeploy(recordDeployment));
  }

  @Test
  void oneLinesIdShowsInTheLogLinesOfBothNodes() throws IOException {
    try (LogCapture logs = LogCapture.of("org.concurrencylab.loop");
         Client first = new Client(port);
         Client second = new Client(port)) {
      String firstReply = first.send("hello from the first");
      String secondReply = second.send("hello from the second");
      String thirdReply = first.send("the first again");

      assertThat(firstReply).matches("logged [0-9a-f]{16} on node-b");
      String id = firstReply.split(" ")[1];
      LogCapture.Line got = logs.matching(m -> m.startsWith("Got message hello from the first")).get(0);
      Await.until(() -> !logs.matching(m -> m.contains("\"hello from the first\"")).isEmpty(), Duration.ofSeconds(10),
        "node B's log line");
      LogCapture.Line recorded = logs.matching(m -> m.contains("\"hello from the first\"")).get(0);
      assertThat(got.mdc(RequestIds.MDC_KEY)).isEqualTo(id);
      assertThat(recorded.mdc(RequestIds.MDC_KEY)).isEqualTo(id);
      assertThat(recorded.message()).endsWith("on node node-b");

      // The context variable: each line names its own connection's peer, read from the scope, not passed in.
      assertThat(got.message()).endsWith("from " + first.localAddress());
      assertThat(logs.matching(m -> m.startsWith("Got message hello from the second")).get(0).message())
        .endsWith("from " + second.localAddress());
      assertThat(logs.matching(m -> m.startsWith("Got message the first again")).get(0).message())
        .endsWith("from " + first.localAddress());

      // Every line is a request of its own.
      List<String> ids = List.of(id, secondReply.split(" ")[1], thirdReply.split(" ")[1]);
      assertThat(ids).doesNotHaveDuplicates();
    }
  }

  /** A blocking line client: one line out, one line back. */
  private static final class Client implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    Client(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(15_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    String send(String line) throws IOException {
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      return in.readLine();
    }

    String localAddress() {
      return "127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
