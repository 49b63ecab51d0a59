package org.concurrencylab.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.cluster.ClusterModule;
import org.concurrencylab.http.HttpModule;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A gateway node ({@code http} only, {@code http_routes=cluster}) serves the routes of a service another node
 * runs; without {@code http_routes} it does not.
 */
class GatewayRoutesTest {

  private final ServiceCatalog catalog = new ServiceCatalog(List.of(new ClusterModule(), new HttpModule()));
  private final List<Runnable> undeploy = new ArrayList<>();

  @Test
  void theGatewayMountsTheRoutesOfAServiceOnlyAnotherNodeRuns() {
    deploy(TestCluster.node(0), new JsonObject().put("services", "cluster").put("node_name", "worker-a"));
    int gateway = Ports.free();
    deploy(TestCluster.node(1), new JsonObject().put("services", "http").put("node_name", "gateway")
      .put("http_routes", "cluster").put("http_port", gateway).put("http_instances", 1));
    String base = "http://127.0.0.1:" + gateway;

    Http.Response ping = Http.get(base + "/cluster/ping");
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.json().getString("node")).isEqualTo("worker-a");

    assertThat(Http.get(base + "/cluster/ping?node=worker-a").json().getString("node")).isEqualTo("worker-a");
    Http.Response elsewhere = Http.get(base + "/cluster/ping?node=nobody");
    assertThat(elsewhere.status()).isEqualTo(503);
    assertThat(elsewhere.json().getString("error")).isEqualTo("unavailable");
    assertThat(Http.get(base + "/cluster/ping?node=no.such%2Faddress").status()).isEqualTo(400);

    JsonObject health = Http.get(base + "/health").json().getJsonObject("services");
    assertThat(health.getJsonObject("cluster").getString("node")).isEqualTo("worker-a");
    assertThat(health.getJsonObject("cluster").getString("state")).isEqualTo("up");
  }

  @Test
  void withoutHttpRoutesTheNodeServesOnlyItsOwnServicesRoutes() {
    deploy(TestCluster.node(0), new JsonObject().put("services", "cluster").put("node_name", "worker-a"));
    int port = Ports.free();
    deploy(TestCluster.node(1), new JsonObject().put("services", "http").put("node_name", "plain")
      .put("http_port", port).put("http_instances", 1));

    assertThat(Http.get("http://127.0.0.1:" + port + "/cluster/ping").status()).isEqualTo(404);
  }

  @Test
  void anUnknownServiceInHttpRoutesIsAConfigurationError() {
    assertThatThrownBy(() -> catalog.routed(catalog.select("http"), "cluster,nosuch"))
      .isInstanceOf(ConfigException.class)
      .hasMessageContaining("LAB_HTTP_ROUTES")
      .hasMessageContaining("nosuch");
    assertThat(catalog.routed(catalog.select("http"), "all")).hasSize(2);
    assertThat(catalog.routed(catalog.select("http"), "")).extracting(module -> module.name()).containsExactly("http");
  }

  private void deploy(Vertx node, JsonObject config) {
    String id = Await.result(node.deployVerticle(new LabVerticle(catalog), new DeploymentOptions().setConfig(config)));
    undeploy.add(() -> Await.result(node.undeploy(id), Duration.ofSeconds(10)));
  }

  @AfterEach
  void undeployAll() {
    undeploy.forEach(Runnable::run);
    undeploy.clear();
  }
}
