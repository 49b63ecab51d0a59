package org.concurrencylab.fetch;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code fetch.run} and {@code POST /fetch} against the lab's stub: what a caller gets back in each mode. */
class FetchServiceTest {

  private static FetchLab lab;

  @BeforeAll
  static void start() {
    lab = new FetchLab();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  private static JsonObject fetch(JsonObject call) {
    return Await.result(Bus.request(lab.vertx, FetchVerticle.RUN, call, FetchRequest.replyTimeoutMs(call)));
  }

  private static JsonArray urls(String... urls) {
    return new JsonArray(List.of((Object[]) urls));
  }

  @Test
  void allReturnsEveryResultInOrderWithTotals() {
    JsonObject reply = fetch(new JsonObject().put("url", lab.stub("")).put("count", 25).put("limit", 5));

    JsonArray results = reply.getJsonArray("results");
    assertThat(results).hasSize(25);
    for (int i = 0; i < 25; i++) {
      JsonObject r = results.getJsonObject(i);
      assertThat(r.getInteger("index")).isEqualTo(i);
      assertThat(r.getString("outcome")).isEqualTo("ok");
      assertThat(r.getInteger("status")).isEqualTo(200);
      assertThat(r.getLong("bytes")).isEqualTo(182);
      assertThat(r.getDouble("ms")).isPositive();
    }
    JsonObject totals = reply.getJsonObject("totals");
    assertThat(totals.getInteger("ok")).isEqualTo(25);
    assertThat(totals.getJsonObject("statuses").getInteger("200")).isEqualTo(25);
    assertThat(totals.getLong("bytes")).isEqualTo(25 * 182);
  }

  @Test
  void badUrlsAreErrorsOfTheirOwnAndTheOthersStillSucceed() {
    int closedPort = Ports.free();
    JsonObject reply = fetch(new JsonObject().put("urls", urls(
      lab.stub(""), "python://bad", "http://no-such-host.invalid/", "http://example.com/", "not a url at all",
      "ftp://127.0.0.1/", "http://127.0.0.1:" + closedPort + "/", lab.stub("status=503"))));

    JsonArray results = reply.getJsonArray("results");
    assertThat(results.getJsonObject(0).getString("outcome")).isEqualTo("ok");
    assertThat(results.getJsonObject(1).getString("error")).contains("unsupported scheme 'python'");
    assertThat(results.getJsonObject(2).getString("error")).contains("unknown host");
    assertThat(results.getJsonObject(3).getString("error")).contains("host 'example.com' is not allowed");
    assertThat(results.getJsonObject(4).getString("error")).contains("not a URL");
    assertThat(results.getJsonObject(5).getString("error")).contains("unsupported scheme 'ftp'");
    assertThat(results.getJsonObject(6).getString("error")).contains("cannot connect");
    assertThat(results.getJsonObject(7).getInteger("status")).isEqualTo(503);
    assertThat(results.getJsonObject(7).getString("error")).isEqualTo("HTTP 503");
    for (int i = 1; i < 8; i++) {
      assertThat(results.getJsonObject(i).getString("outcome")).as("url #%d", i).isEqualTo("error");
    }
    assertThat(reply.getJsonObject("totals").getInteger("errors")).isEqualTo(7);
  }

  @Test
  void limitBoundsTheRequestsTheServerHoldsAtOnce() {
    // A slow GET of a test before (cut off at its deadline) holds its place at the stub until the stub sees its
    // connection close, which comes after that test's reply: the peak counted from the reset would include it.
    Await.until(() -> lab.stubStats().getLong("in_flight") == 0, java.time.Duration.ofSeconds(10),
      "the stub holds no request of the tests before");
    lab.resetStub();
    int openedBefore = lab.stubStats().getInteger("connections_opened");

    JsonObject reply = fetch(new JsonObject().put("url", lab.stub("delay_ms=50")).put("count", 16).put("limit", 4));

    assertThat(reply.getJsonObject("totals").getInteger("ok")).isEqualTo(16);
    JsonObject stats = lab.stubStats();
    assertThat(stats.getLong("in_flight_peak")).isEqualTo(4);
    assertThat(stats.getInteger("connections_opened") - openedBefore).isEqualTo(4);
  }

  @Test
  void aSlowRequestTimesOutAndTheServerSeesItGiveUp() {
    JsonObject before = lab.stubStats();
    // The fast GET must beat the timeout too: 2 s, not less, so that a loaded machine cannot make it miss.
    JsonObject reply = fetch(new JsonObject().put("urls", urls(lab.stub(""), lab.stub("delay_ms=20000")))
      .put("timeoutMs", 2_000));

    JsonObject slow = reply.getJsonArray("results").getJsonObject(1);
    assertThat(slow.getString("outcome")).isEqualTo("timeout");
    assertThat(slow.getString("error")).contains("2000 ms");
    assertThat(reply.getJsonArray("results").getJsonObject(0).getString("outcome")).isEqualTo("ok");
    lab.awaitAbandoned(before, 1);
  }

  @Test
  void whatMissesTheDeadlineIsReportedAsTimedOutNotDropped() {
    JsonObject reply = fetch(new JsonObject()
      .put("urls", urls(lab.stub(""), lab.stub("delay_ms=20000"), lab.stub(""), lab.stub("")))
      .put("limit", 2).put("deadlineMs", 2_000)); // the three fast GETs, one after the other, within it even when loaded

    JsonArray results = reply.getJsonArray("results");
    assertThat(results).hasSize(4);
    assertThat(results.getJsonObject(1).getString("outcome")).isEqualTo("timeout");
    assertThat(results.getJsonObject(1).getString("error")).contains("deadline of 2000 ms");
    // the slow one held one of the two places; the fast ones went through the other
    assertThat(List.of(0, 2, 3)).allMatch(i -> results.getJsonObject(i).getString("outcome").equals("ok"));
    assertThat(reply.getJsonObject("totals").getInteger("timeouts")).isEqualTo(1);
  }

  @Test
  void unstartedUrlsAtTheDeadlineAreReportedToo() {
    JsonObject reply = fetch(new JsonObject().put("url", lab.stub("delay_ms=20000")).put("count", 5)
      .put("limit", 1).put("deadlineMs", 200));

    JsonArray results = reply.getJsonArray("results");
    assertThat(results).hasSize(5);
    assertThat(results.getJsonObject(0).getString("error")).doesNotContain("before this URL was started");
    for (int i = 1; i < 5; i++) {
      assertThat(results.getJsonObject(i).getString("outcome")).isEqualTo("timeout");
      assertThat(results.getJsonObject(i).getString("error")).contains("before this URL was started");
    }
  }

  @Test
  void firstSuccessWinsAndTheOthersAreReallyCancelled() {
    JsonObject before = lab.stubStats();
    JsonObject reply = fetch(new JsonObject().put("mode", "first")
      .put("urls", urls(lab.stub("delay_ms=20000"), lab.stub("delay_ms=20"), lab.stub("delay_ms=20000"))));

    assertThat(reply.getJsonObject("winner").getInteger("index")).isEqualTo(1);
    JsonArray results = reply.getJsonArray("results");
    assertThat(results.getJsonObject(0).getString("outcome")).isEqualTo("cancelled");
    assertThat(results.getJsonObject(2).getString("outcome")).isEqualTo("cancelled");
    // The stub sees both slow requests' connections close before it answered them.
    lab.awaitAbandoned(before, 2);
  }

  @Test
  void firstSkipsFailuresAndReportsNoWinnerWhenAllFail() {
    JsonObject reply = fetch(new JsonObject().put("mode", "first")
      .put("urls", urls(lab.stub("status=500"), "python://bad", lab.stub("delay_ms=30"))));
    assertThat(reply.getJsonObject("winner").getInteger("index")).isEqualTo(2);

    JsonObject none = fetch(new JsonObject().put("mode", "first").put("urls", urls("python://bad", lab.stub("status=404"))));
    assertThat(none.getValue("winner")).isNull();
    assertThat(none.getJsonObject("totals").getInteger("errors")).isEqualTo(2);
  }

  @Test
  void firstErrorStopsAtTheFirstFailureAndCancelsTheRest() {
    JsonObject before = lab.stubStats();
    JsonObject reply = fetch(new JsonObject().put("mode", "first-error")
      .put("urls", urls(lab.stub("delay_ms=20000"), lab.stub("delay_ms=20&status=500"), lab.stub("delay_ms=20000"))));

    JsonObject error = reply.getJsonObject("firstError");
    assertThat(error.getInteger("index")).isEqualTo(1);
    assertThat(error.getString("error")).isEqualTo("HTTP 500");
    assertThat(reply.getJsonObject("totals").getInteger("cancelled")).isEqualTo(2);
    lab.awaitAbandoned(before, 2);
  }

  @Test
  void asCompletedPublishesEachResultAsItLands() {
    String address = "test.fetch.results";
    List<JsonObject> landed = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = lab.vertx.eventBus().consumer(address, m -> landed.add(m.body()));
    Await.result(consumer.completion());
    try {
      JsonObject reply = fetch(new JsonObject().put("mode", "as-completed").put("publish", address).put("id", "ac-1")
        .put("urls", urls(lab.stub("delay_ms=600"), lab.stub(""), lab.stub("delay_ms=300"))));

      List<Integer> order = reply.getJsonArray("results").stream()
        .map(r -> ((JsonObject) r).getInteger("index")).toList();
      assertThat(order).containsExactly(1, 2, 0);
      Await.until(() -> landed.size() == 3, java.time.Duration.ofSeconds(5), "three published results");
      assertThat(landed).extracting(r -> r.getInteger("index")).containsExactly(1, 2, 0);
      assertThat(landed).allMatch(r -> r.getString("id").equals("ac-1"));
    } finally {
      consumer.unregister();
    }
  }

  @Test
  void malformedCallsAreRefusedWith400() {
    for (JsonObject bad : List.of(
      new JsonObject(),
      new JsonObject().put("urls", "http://127.0.0.1/"),
      new JsonObject().put("urls", new JsonArray().add(42)),
      new JsonObject().put("urls", new JsonArray()),
      new JsonObject().put("url", lab.stub("")).put("count", 0),
      new JsonObject().put("url", lab.stub("")).put("mode", "fastest"),
      new JsonObject().put("url", lab.stub("")).put("limit", 0),
      new JsonObject().put("url", lab.stub("")).put("timeoutMs", "soon"))) {
      Throwable failure = Await.failure(Bus.request(lab.vertx, FetchVerticle.RUN, bad), java.time.Duration.ofSeconds(5));
      assertThat(((ReplyException) failure).failureCode()).as(bad.encode()).isEqualTo(400);
    }
  }

  @Test
  void overHttpMoreThan10000UrlsIsA400AndAGoodCallAnswers() {
    Http.Response tooMany = Http.post(lab.http("/fetch"),
      new JsonObject().put("url", lab.stub("")).put("count", 10_001).encode());
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().getString("message")).contains("at most 10000 URLs");

    JsonArray list = new JsonArray();
    for (int i = 0; i < 10_001; i++) {
      list.add(lab.stub(""));
    }
    assertThat(Http.post(lab.http("/fetch"), new JsonObject().put("urls", list).encode()).status()).isEqualTo(400);
    assertThat(Http.post(lab.http("/fetch"), "{not json").status()).isEqualTo(400);

    Http.Response ok = Http.post(lab.http("/fetch"),
      new JsonObject().put("urls", urls(lab.stub(""), "python://bad")).encode());
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().getJsonObject("totals").getInteger("ok")).isEqualTo(1);
    assertThat(ok.json().getJsonObject("totals").getInteger("errors")).isEqualTo(1);
  }

  @Test
  void undeployingTheServiceAnswersItsCallsInsteadOfLeavingThemWaiting() {
    io.vertx.core.Vertx other = io.vertx.core.Vertx.vertx();
    try {
      org.concurrencylab.spi.ModuleContext context = new org.concurrencylab.spi.ModuleContext(other,
        new JsonObject().put("fetch_allow_hosts", "127.0.0.1"), "test", List.of(), List.of("fetch"));
      String deployment = Await.result(FetchModule.deploy(context, 1));
      JsonObject call = new JsonObject().put("urls", urls(lab.stub("delay_ms=20000")));
      io.vertx.core.Future<JsonObject> reply = Bus.request(other, FetchVerticle.RUN, call, 30_000);
      Await.until(() -> lab.stubStats().getLong("in_flight") > 0, java.time.Duration.ofSeconds(10), "the call is running");

      Await.result(other.undeploy(deployment));

      JsonObject answered = Await.result(reply, java.time.Duration.ofSeconds(5));
      assertThat(answered.getJsonArray("results").getJsonObject(0).getString("error")).contains("stopping");
    } finally {
      Await.result(other.close());
    }
  }

  @Test
  void theWebSocketRouteRefusesPlainRequests() {
    assertThat(Http.get(lab.http("/fetch/ws")).status()).isEqualTo(400);
  }

  @Test
  void statusCountsCalls() {
    fetch(new JsonObject().put("url", lab.stub("")).put("count", 3));
    JsonObject status = Await.result(Bus.request(lab.vertx, "fetch.status", new JsonObject()));
    assertThat(status.getString("state")).isEqualTo("up");
    assertThat(status.getJsonObject("stats").getLong("calls")).isPositive();
    assertThat(status.getJsonObject("stats").getLong("urls")).isGreaterThanOrEqualTo(3);
  }
}
