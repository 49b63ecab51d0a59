package org.concurrencylab.metrics;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /metrics} as Prometheus scrapes it: Vert.x's own meters and the lab's counters, which move when
 * the services work. A node built without metrics says so instead.
 */
class MetricsEndpointTest {

  private static Vertx metered;
  private static int httpPort;
  private static int echoPort;

  @BeforeAll
  static void start() {
    metered = Vertx.builder().with(new VertxOptions().setMetricsOptions(LabMetrics.options())).build();
    httpPort = Ports.free();
    echoPort = Ports.free();
    Await.result(metered.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "echo,http").put("node_name", "metered").put("http_port", httpPort).put("http_instances", 1)
      .put("echo_port", echoPort).put("selector_echo_port", Ports.free()))));
  }

  @AfterAll
  static void stop() {
    if (metered != null) {
      Await.result(metered.close());
    }
  }

  @Test
  void servesVertxMetersAndTheLabsCountersInPrometheusFormat() {
    double before = echoBytes(scrape());
    echo(new byte[10_000]);

    Http.Response response = Http.get("http://127.0.0.1:" + httpPort + "/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    String text = response.body();
    assertThat(echoBytes(text)).isEqualTo(before + 10_000);
    assertThat(text)
      .contains("# TYPE lab_echo_bytes_total counter")
      .contains("lab_echo_connections{node=\"metered\",server=\"tcp\"}")
      .contains("vertx_eventbus_handlers{")               // the event bus
      .contains("vertx_http_server_requests_total{")      // the HTTP server, by route
      .contains("vertx_net_server_active_connections")    // the echo's TCP server
      .contains("jvm_memory_used_bytes");
    // Addresses made per object are counted under their family's name, not one series each.
    assertThat(text).doesNotContainPattern("ebAddress=\"echo\\.status\\.metered\"");
  }

  @Test
  void aNodeWithoutMetricsAnswers503SayingSo() {
    Vertx plain = Vertx.vertx();
    try {
      int port = Ports.free();
      Await.result(plain.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("services", "http").put("http_port", port).put("http_instances", 1))));
      Http.Response response = Http.get("http://127.0.0.1:" + port + "/metrics");
      assertThat(response.status()).isEqualTo(503);
      assertThat(new JsonObject(response.body()).getString("message")).contains("LAB_METRICS=false");
    } finally {
      Await.result(plain.close());
    }
  }

  private static String scrape() {
    return Http.get("http://127.0.0.1:" + httpPort + "/metrics").body();
  }

  /** The value of {@code lab_echo_bytes_total} for the TCP echo of node "metered" (0 before any traffic). */
  private static double echoBytes(String text) {
    Matcher matcher = Pattern.compile("^lab_echo_bytes_total\\{node=\"metered\",server=\"tcp\"} (\\S+)$",
      Pattern.MULTILINE).matcher(text);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
  }

  private static void echo(byte[] payload) {
    try (Socket socket = new Socket("127.0.0.1", echoPort)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(payload);
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(in.readNBytes(payload.length)).hasSize(payload.length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
