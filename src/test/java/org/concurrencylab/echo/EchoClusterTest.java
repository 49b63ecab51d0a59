package org.concurrencylab.echo;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The echo on one cluster node, the HTTP server on another: node B's {@code /health} and {@code echo.stats}
 * asked on node B report node A's echo servers, live numbers included.
 */
class EchoClusterTest {

  private String echoNode;
  private String httpNode;

  @Test
  void healthOnTheHttpNodeShowsTheEchoOfTheOtherNode() {
    int httpPort = Ports.free();
    echoNode = deploy(TestCluster.node(0), new JsonObject().put("services", "echo").put("node_name", "node-a")
      .put("echo_port", 0).put("selector_echo_port", 0));
    httpNode = deploy(TestCluster.node(1), new JsonObject().put("services", "http").put("node_name", "node-b")
      .put("http_port", httpPort).put("http_instances", 1));

    JsonObject echo = Http.get("http://127.0.0.1:" + httpPort + "/health").json()
      .getJsonObject("services").getJsonObject("echo");
    assertThat(echo.getString("state")).isEqualTo("up");
    assertThat(echo.getString("node")).isEqualTo("node-a");
    String tcpUrl = echo.getJsonArray("endpoints").getJsonObject(0).getString("url");

    byte[] hello = "over the cluster\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(EchoLab.roundTrip(URI.create(tcpUrl).getPort(), hello)).isEqualTo(hello);

    JsonObject stats = Await.result(Bus.<JsonObject>request(TestCluster.node(1), "echo.stats", new JsonObject(), 5_000));
    assertThat(stats.getJsonObject("tcp").getLong("bytes_echoed")).isEqualTo(hello.length);
    assertThat(stats.getJsonObject("tcp").getLong("connections_total")).isEqualTo(1);
  }

  private static String deploy(Vertx node, JsonObject config) {
    return Await.result(node.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config)));
  }

  @AfterEach
  void undeploy() {
    if (echoNode != null) {
      Await.result(TestCluster.node(0).undeploy(echoNode), Duration.ofSeconds(10));
    }
    if (httpNode != null) {
      Await.result(TestCluster.node(1).undeploy(httpNode), Duration.ofSeconds(10));
    }
  }
}
