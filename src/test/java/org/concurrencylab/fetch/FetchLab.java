package org.concurrencylab.fetch;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;

import java.time.Duration;

/**
 * A lab node running the stub, the fetch service and the HTTP server, for one test class. Its allow-list
 * adds {@code *.invalid} (a name that never resolves, RFC 6761) so that a test can see an unresolvable host.
 */
final class FetchLab implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final int stubPort = Ports.free();
  final int httpPort = Ports.free();

  FetchLab() {
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "stub,fetch,http").put("stub_port", stubPort).put("http_port", httpPort)
      .put("http_instances", 1).put("fetch_allow_hosts", "127.0.0.1,localhost,::1,*.invalid"))));
  }

  /** A stub URL with query parameters, e.g. {@code stub("delay_ms=100")}. */
  String stub(String query) {
    return "http://127.0.0.1:" + stubPort + "/" + (query.isEmpty() ? "" : "?" + query);
  }

  String http(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  JsonObject stubStats() {
    return Http.get("http://127.0.0.1:" + stubPort + "/stats").json();
  }

  void resetStub() {
    Http.post("http://127.0.0.1:" + stubPort + "/reset", "");
  }

  /** Waits until the stub has seen {@code count} requests abandoned by their client since {@code before}. */
  void awaitAbandoned(JsonObject before, long count) {
    Await.until(() -> stubStats().getLong("abandoned") - before.getLong("abandoned") >= count,
      Duration.ofSeconds(10), count + " request(s) abandoned at the stub");
  }

  @Override
  public void close() {
    Await.result(vertx.close());
  }
}
