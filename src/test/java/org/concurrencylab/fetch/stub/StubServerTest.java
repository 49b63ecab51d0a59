package org.concurrencylab.fetch.stub;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stub as any HTTP client sees it: its page, its knobs, its counters. */
class StubServerTest {

  private static Vertx vertx;
  private static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    ModuleContext context = new ModuleContext(vertx, new JsonObject().put("host", "127.0.0.1").put("stub_port", 0),
      "test", List.of(), List.of("stub"));
    int port = Await.result(StubModule.deploy(context, 2));
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void servesTheSmallPageLikeExampleDotCom() {
    Http.Response page = Http.get(base + "/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<title>Stub Domain</title>").hasSize(182);
  }

  @Test
  void statusSizeAndDelayAreSetByTheQuery() {
    assertThat(Http.get(base + "/?status=503").status()).isEqualTo(503);
    Http.Response big = Http.get(base + "/?size=5000");
    assertThat(big.body()).hasSize(5000).startsWith("<!doctype html>").endsWith("</html>\n");
    assertThat(Http.get(base + "/?size=3").body()).hasSize(3);
    long started = System.nanoTime();
    assertThat(Http.get(base + "/?delay_ms=150").status()).isEqualTo(200);
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(150);
  }

  @Test
  void aSeededFailureRateFailsTheSameRequestsAfterEachReset() {
    List<Integer> first = failures("/?fail_rate=0.3&seed=7", 60);
    List<Integer> second = failures("/?fail_rate=0.3&seed=7", 60);
    assertThat(first).isEqualTo(second);
    assertThat(first).isNotEmpty().hasSizeLessThan(60);
    assertThat(failures("/?fail_rate=1&fail_with=502", 3)).containsExactly(0, 1, 2);
  }

  private static List<Integer> failures(String path, int n) {
    Http.post(base + "/reset", "");
    List<Integer> failed = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      int status = Http.get(base + path).status();
      if (status != 200) {
        assertThat(status).isIn(500, 502);
        failed.add(i);
      }
    }
    return failed;
  }

  @Test
  void failWithResetDropsTheConnectionWithoutAnAnswer() {
    HttpClient client = HttpClient.newHttpClient();
    assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(URI.create(base + "/?fail_rate=1&fail_with=reset")).build(),
      HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void badKnobsAre400AndOtherPathsAre404() {
    assertThat(Http.get(base + "/?delay_ms=soon").status()).isEqualTo(400);
    assertThat(Http.get(base + "/?delay_ms=-1").body()).contains("delay_ms must be from 0");
    assertThat(Http.get(base + "/?fail_rate=2").status()).isEqualTo(400);
    assertThat(Http.get(base + "/?status=99").status()).isEqualTo(400);
    assertThat(Http.get(base + "/?size=999999999").status()).isEqualTo(400);
    assertThat(Http.get(base + "/nothing-here").status()).isEqualTo(404);
    assertThat(Http.post(base + "/", "x").status()).isEqualTo(405);
  }

  @Test
  void countsRequestsAndConnectionsOnItsStatsPageAndOnTheBus() {
    long before = Http.get(base + "/stats").json().getLong("requests");
    Http.get(base + "/");
    JsonObject stats = Http.get(base + "/stats").json();
    assertThat(stats.getLong("requests")).isEqualTo(before + 1);
    assertThat(stats.getLong("connections_opened")).isPositive();

    JsonObject status = Await.result(Bus.request(vertx, "stub.status", new JsonObject()));
    assertThat(status.getString("state")).isEqualTo("up");
    assertThat(status.getJsonObject("stats").getLong("requests")).isGreaterThanOrEqualTo(before + 1);
    assertThat(status.getJsonArray("endpoints").getJsonObject(0).getString("url")).isEqualTo(base + "/");
  }
}
