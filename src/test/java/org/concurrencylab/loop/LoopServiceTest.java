package org.concurrencylab.loop;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.LogCapture;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.trace.RequestIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop service in a lab node: an HTTP request's X-Request-Id is the id its bus work and log lines carry. */
class LoopServiceTest {

  private static Vertx vertx;
  private static int httpPort;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    httpPort = Ports.free();
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "loop,http").put("http_port", httpPort).put("http_instances", 1).put("loop_logger_port", 0)
      .put("loop_echo_port", 0))));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void anHttpRequestsIdTravelsOverTheBusIntoTheLogAndBack() {
    try (LogCapture logs = LogCapture.of("org.concurrencylab.loop")) {
      Http.Response response = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/loop/record"))
        .header("X-Request-Id", "order-42").header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"line\":\"via http\"}")));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers().firstValue("x-request-id")).hasValue("order-42");
      assertThat(response.json().getString("requestId")).isEqualTo("order-42");
      assertThat(logs.matching(m -> m.startsWith("recorded \"via http\""))).singleElement()
        .satisfies(line -> assertThat(line.mdc(RequestIds.MDC_KEY)).isEqualTo("order-42"));
    }
  }

  @Test
  void aRequestWithoutAnIdOrWithABadOneGetsANewOne() {
    Http.Response plain = Http.post("http://127.0.0.1:" + httpPort + "/loop/record", "{\"line\":\"no id\"}");
    String given = plain.headers().firstValue("x-request-id").orElseThrow();
    assertThat(given).matches("[0-9a-f]{16}");
    assertThat(plain.json().getString("requestId")).isEqualTo(given);

    Http.Response forged = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/loop/record"))
      .header("X-Request-Id", "x\" injected=1").header("content-type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofString("{\"line\":\"bad id\"}")));
    assertThat(forged.json().getString("requestId")).matches("[0-9a-f]{16}");
  }

  @Test
  void everyRouteOfTheNodeEchoesAnId() {
    Http.Response health = Http.get("http://127.0.0.1:" + httpPort + "/health");
    assertThat(health.headers().firstValue("x-request-id")).isPresent();
    Http.Response bad = Http.post("http://127.0.0.1:" + httpPort + "/loop/record", "{\"nope\":1}");
    assertThat(bad.status()).isEqualTo(400);
  }
}
