package org.concurrencylab.bridge;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP event-bus bridge as a client in another language meets it: over its framing, on a real socket. It
 * answers the addresses on its lists and refuses every other one before the bus sees it.
 */
class TcpBridgeTest {

  /** An address of the kind a bridge client must never reach (it would change data). */
  private static final String SECRET = "queue.orders.place";

  private static Vertx vertx;
  private static int port;
  private static final AtomicInteger secretCalls = new AtomicInteger();
  private static final AtomicInteger fetchCalls = new AtomicInteger();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    port = Ports.free();
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "bridge").put("host", "127.0.0.1").put("bridge_port", port).put("node_name", "bridged"))));
    // Consumers on the bus of the node: a refused frame must never get to them. fetch.run stands in for the
    // real service, to see which of its requests the bridge lets through.
    Await.result(Future.all(
      vertx.eventBus().consumer(SECRET, message -> {
        secretCalls.incrementAndGet();
        message.reply(new JsonObject().put("placed", true));
      }).completion(),
      vertx.eventBus().consumer("fetch.run", message -> {
        fetchCalls.incrementAndGet();
        message.reply(new JsonObject().put("totals", new JsonObject()));
      }).completion()));
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @BeforeEach
  void resetCounts() {
    secretCalls.set(0);
    fetchCalls.set(0);
  }

  @Test
  void answersAPermittedRequestWithTheReplyAndListensOnTheConfiguredHost() {
    try (BridgeClient client = new BridgeClient(port)) {
      JsonObject reply = client.request("bridge.status", new JsonObject());

      assertThat(reply.getString("type")).isEqualTo("message");
      JsonObject status = reply.getJsonObject("body");
      assertThat(status.getString("state")).isEqualTo("up");
      assertThat(status.getString("node")).isEqualTo("bridged");
      assertThat(status.getJsonArray("endpoints").getJsonObject(0).getString("url"))
        .isEqualTo("tcp://127.0.0.1:" + port);
      assertThat(status.getJsonObject("stats").getInteger("clients")).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void aNonPermittedAddressIsRefusedAndNeverReachesTheBus() {
    try (BridgeClient client = new BridgeClient(port)) {
      JsonObject refused = client.request(SECRET, new JsonObject().put("item", "x"));
      assertThat(refused.getString("type")).isEqualTo("err");
      assertThat(refused.getString("message")).isEqualTo("access_denied");

      client.write(new JsonObject().put("type", "publish").put("address", SECRET).put("body", new JsonObject()));
      client.write(new JsonObject().put("type", "register").put("address", SECRET));
      List<JsonObject> before = client.fence();
      assertThat(before).extracting(frame -> frame.getString("message")).containsExactly("access_denied", "access_denied");

      assertThat(secretCalls).hasValue(0);

      // What the node publishes there does not reach the client that tried to register.
      vertx.eventBus().publish(SECRET, new JsonObject().put("leak", true));
      assertThat(client.request("bridge.status", new JsonObject()).getString("type")).isEqualTo("message");
      assertThat(client.fence()).isEmpty();
    }
  }

  @Test
  void fetchRunMayPublishItsResultsOnlyToTheClientsOwnAddress() {
    try (BridgeClient client = new BridgeClient(port)) {
      JsonObject elsewhere = client.request("fetch.run", new JsonObject().put("url", "http://127.0.0.1:1/").put("publish", SECRET));
      assertThat(elsewhere.getString("type")).isEqualTo("err");
      assertThat(fetchCalls).hasValue(0);

      JsonObject own = client.request("fetch.run", new JsonObject().put("url", "http://127.0.0.1:1/")
        .put("publish", "fetch.results.mine"));
      assertThat(own.getString("type")).isEqualTo("message");
      assertThat(fetchCalls).hasValue(1);
    }
  }

  @Test
  void aClientIsSentWhatIsPublishedToAPermittedAddressItRegistered() {
    try (BridgeClient client = new BridgeClient(port)) {
      client.write(new JsonObject().put("type", "register").put("address", "mapreduce.progress"));
      assertThat(client.fence()).isEmpty();
      vertx.eventBus().publish("mapreduce.progress", new JsonObject().put("job", "j1").put("lines", 42));

      JsonObject message = client.read();
      assertThat(message.getString("address")).isEqualTo("mapreduce.progress");
      assertThat(message.getJsonObject("body").getInteger("lines")).isEqualTo(42);
    }
  }
}
