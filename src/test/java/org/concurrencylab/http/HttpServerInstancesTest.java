package org.concurrencylab.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Several HTTP server instances on port 0 share one random port, and two nodes in one JVM get two. */
class HttpServerInstancesTest {

  @Test
  void instancesOnPortZeroShareOneRandomPortPerNode() {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = new JsonObject().put("services", "http").put("http_port", 0).put("http_instances", 3);
      Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config.copy().put("node_name", "one"))));
      String url = Await.result(Bus.<JsonObject>request(vertx, "http.status", new JsonObject()))
        .getJsonArray("endpoints").getJsonObject(0).getString("url");
      for (int i = 0; i < 6; i++) {
        assertThat(Http.get(url + "/health").status()).isEqualTo(200);
      }
      Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config.copy().put("node_name", "two"))));
      for (int i = 0; i < 6; i++) {
        // Had node two joined node one's port, its servers would answer some of these.
        assertThat(Http.get(url + "/health").json().getString("node")).isEqualTo("one");
      }
    } finally {
      Await.result(vertx.close());
    }
  }
}
