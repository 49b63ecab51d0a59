package org.concurrencylab.chat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Ports;

import java.time.Duration;

/** A lab node running the chat (and, if asked, the HTTP server) for a test, on free ports. */
final class ChatLab implements AutoCloseable {

  final Vertx vertx;
  final int port;
  final int httpPort;
  private final String deployment;

  private ChatLab(Vertx vertx, int port, int httpPort, String deployment) {
    this.vertx = vertx;
    this.port = port;
    this.httpPort = httpPort;
    this.deployment = deployment;
  }

  /** Deploys the chat on {@code vertx} with {@code settings} over the test defaults. */
  static ChatLab start(Vertx vertx, JsonObject settings) {
    int port = Ports.free();
    int httpPort = Ports.free();
    JsonObject config = new JsonObject().put("services", "chat").put("chat_port", port)
      .put("http_port", httpPort).put("http_instances", 1).put("chat_instances", 2).mergeIn(settings);
    String id = Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config)));
    return new ChatLab(vertx, port, httpPort, id);
  }

  /** The stats of {@code chat.status} (in a cluster: of whichever node answered, see {@link #status()}). */
  JsonObject stats() {
    return status().getJsonObject("stats");
  }

  /** The reply of {@code chat.status}: {@code {service, node, state, endpoints, stats}}. */
  JsonObject status() {
    return Await.result(Bus.<JsonObject>request(vertx, "chat.status", new JsonObject()));
  }

  @Override
  public void close() {
    Await.result(vertx.undeploy(deployment), Duration.ofSeconds(20));
  }
}
