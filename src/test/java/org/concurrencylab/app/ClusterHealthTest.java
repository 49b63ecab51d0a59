package org.concurrencylab.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.http.HttpModule;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two cluster nodes with different {@code services}: {@code /health} on the HTTP node reports the service
 * the other node runs, read over the clustered bus.
 */
class ClusterHealthTest {

  /** A minimal service: it only answers its status, with the node it runs on. */
  static final class ProbeModule implements ServiceModule {
    @Override
    public String name() {
      return "probe";
    }

    @Override
    public String summary() {
      return "answers its status";
    }

    @Override
    public Future<?> deploy(ModuleContext context) {
      return ServiceStatus.serve(context.vertx(), name(), context.node(),
        new JsonArray().add(ServiceStatus.endpoint("tcp", "tcp://127.0.0.1:1")), () -> new JsonObject().put("ok", 1));
    }
  }

  private final ServiceCatalog catalog = new ServiceCatalog(List.of(new ProbeModule(), new HttpModule()));
  private String deployedA;
  private String deployedB;

  @Test
  void healthOnTheHttpNodeShowsTheServiceOfTheOtherNode() {
    int port = Ports.free();
    deployedA = deploy(TestCluster.node(0), new JsonObject().put("services", "probe").put("node_name", "node-a"));
    deployedB = deploy(TestCluster.node(1), new JsonObject().put("services", "http").put("node_name", "node-b")
      .put("http_port", port).put("http_instances", 1));

    Http.Response response = Http.get("http://127.0.0.1:" + port + "/health");

    assertThat(response.status()).isEqualTo(200);
    JsonObject services = response.json().getJsonObject("services");
    assertThat(response.json().getString("node")).isEqualTo("node-b");
    assertThat(services.getJsonObject("http").getString("node")).isEqualTo("node-b");
    assertThat(services.getJsonObject("probe").getString("state")).isEqualTo("up");
    assertThat(services.getJsonObject("probe").getString("node")).isEqualTo("node-a");

    Await.result(TestCluster.node(0).undeploy(deployedA), Duration.ofSeconds(10));
    deployedA = null;
    Await.until(() -> "absent".equals(Http.get("http://127.0.0.1:" + port + "/health").json()
      .getJsonObject("services").getJsonObject("probe").getString("state")), Duration.ofSeconds(10),
      "the probe reported absent once no node runs it");
  }

  private String deploy(Vertx node, JsonObject config) {
    return Await.result(node.deployVerticle(new LabVerticle(catalog), new DeploymentOptions().setConfig(config)));
  }

  @AfterEach
  void undeploy() {
    if (deployedA != null) {
      Await.result(TestCluster.node(0).undeploy(deployedA), Duration.ofSeconds(10));
    }
    if (deployedB != null) {
      Await.result(TestCluster.node(1).undeploy(deployedB), Duration.ofSeconds(10));
    }
  }
}
