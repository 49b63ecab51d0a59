package org.concurrencylab.chat.client;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Ports;

/** A lab running only the chat service (one event loop) on a free port: the server the client-side tests talk to. */
final class ChatLab implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  final int port = Ports.free();

  ChatLab() {
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "chat").put("chat_port", port).put("chat_instances", 1))));
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
