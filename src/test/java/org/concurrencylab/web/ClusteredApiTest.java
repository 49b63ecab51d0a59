package org.concurrencylab.web;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestCluster;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two cluster nodes: node 0 runs only the products store ({@code db}), node 1 runs the API ({@code web,http})
 * and a second API node runs on node 0 as well for the counter. The routes of node 1 reach the store of node 0
 * over the clustered bus, and /counter counts the WebSocket clients of both API nodes.
 */
class ClusteredApiTest {

  private static final List<String> deployments = new CopyOnWriteArrayList<>();
  private static String apiOnNode1;
  private static String apiOnNode0;

  @BeforeAll
  static void start() {
    deploy(0, new JsonObject().put("services", "db").put("node_name", "store-node")
      .put("db_url", TestDatabase.freshDatabase("clustered_api")));
    int port1 = Ports.free();
    apiOnNode1 = "127.0.0.1:" + port1;
    deploy(1, new JsonObject().put("services", "web,http").put("node_name", "api-node")
      .put("http_port", port1).put("http_instances", 1));
    int port0 = Ports.free();
    apiOnNode0 = "127.0.0.1:" + port0;
    deploy(0, new JsonObject().put("services", "web,http").put("node_name", "api-node-2")
      .put("http_port", port0).put("http_instances", 1));
  }

  private static void deploy(int node, JsonObject config) {
    deployments.add(node + ":" + Await.result(TestCluster.node(node).deployVerticle(new LabVerticle(),
      new DeploymentOptions().setConfig(config)), Duration.ofSeconds(90)));
  }

  @AfterAll
  static void undeploy() {
    for (String deployment : deployments) {
      int colon = deployment.indexOf(':');
      Vertx node = TestCluster.node(Integer.parseInt(deployment.substring(0, colon)));
      Await.result(node.undeploy(deployment.substring(colon + 1)), Duration.ofSeconds(20));
    }
  }

  @Test
  void theApiNodeServesFromTheStoreOnTheOtherNode() {
    String base = "http://" + apiOnNode1;
    Await.until(() -> Http.get(base + "/brands").status() == 200, Duration.ofSeconds(10),
      "the store's addresses reached node 1");
    assertThat(Http.get(base + "/brands").jsonArray()).hasSizeGreaterThanOrEqualTo(100);
    Http.Response created = Http.post(base + "/product", "{\"product_name\": \"clustered\", \"brand_id\": 2}");
    assertThat(created.status()).isEqualTo(201);
    int id = created.json().getInteger("product_id");
    assertThat(Http.get(base + "/products/" + id).json().getString("product_name")).isEqualTo("clustered");
    assertThat(Http.get(base + "/products/99999").status()).isEqualTo(404);
    JsonObject health = Http.get(base + "/health").json().getJsonObject("services");
    assertThat(health.getJsonObject("db").getString("node")).isEqualTo("store-node");
  }

  /** Collects the counts a WebSocket client receives. */
  static final class CountListener implements WebSocket.Listener {
    final List<Integer> counts = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      counts.add(new JsonObject(data.toString()).getInteger("count"));
      socket.request(1);
      return null;
    }

    int latest() {
      return counts.isEmpty() ? -1 : counts.get(counts.size() - 1);
    }
  }

  private static WebSocket connect(String hostPort, CountListener listener) {
    return HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
      .buildAsync(URI.create("ws://" + hostPort + "/counter"), listener).join();
  }

  @Test
  void everyClientSeesTheClusterWideCountChange() {
    CountListener first = new CountListener();
    CountListener second = new CountListener();
    WebSocket a = connect(apiOnNode1, first);
    Await.until(() -> first.latest() == 1, Duration.ofSeconds(10), "the first client counts itself");
    WebSocket b = connect(apiOnNode0, second);
    Await.until(() -> first.latest() == 2 && second.latest() == 2, Duration.ofSeconds(10),
      "both clients, on different nodes, see 2");
    b.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    Await.until(() -> first.latest() == 1, Duration.ofSeconds(10), "the first client sees the other leave");
    a.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    assertThat(first.counts).containsSubsequence(1, 2, 1);
  }

  @Test
  void aPlainGetOnTheCounterIsA400() {
    Http.Response response = Http.get("http://" + apiOnNode1 + "/counter");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().getString("error")).isEqualTo("bad_request");
  }
}
