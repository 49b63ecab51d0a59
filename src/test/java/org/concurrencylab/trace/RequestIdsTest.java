package org.concurrencylab.trace;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.LogCapture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A request id set at the entry follows the work through timers, blocking code and bus hops, into every log line. */
class RequestIdsTest {

  private static final Logger log = LoggerFactory.getLogger(RequestIdsTest.class);
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    RequestIds.install(vertx);
    // hop1: logs, waits on a timer, runs blocking code, asks hop2, logs again; every step under the caller's id.
    Await.result(Bus.serve(vertx, "trace.test.hop1", message -> {
      log.info("hop1 got {}", message.body());
      return vertx.timer(5)
        .compose(v -> {
          log.info("hop1 after the timer");
          return vertx.executeBlocking(() -> {
            log.info("hop1 in blocking code");
            return RequestIds.current();
          }, false);
        })
        .compose(inBlocking -> Bus.<JsonObject>request(vertx, "trace.test.hop2", new JsonObject())
          .map(hop2 -> {
            log.info("hop1 after hop2's reply");
            return new JsonObject().put("hop1", RequestIds.current()).put("blocking", inBlocking)
              .put("hop2", hop2.getString("hop2"));
          }));
    }));
    Await.result(Bus.serve(vertx, "trace.test.hop2", message -> {
      log.info("hop2 got a message");
      return Future.succeededFuture(new JsonObject().put("hop2", RequestIds.current()));
    }));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  /** Sends to hop1 from inside a scope carrying {@code id} (as an HTTP request or a TCP line would). */
  private static Future<JsonObject> askUnder(String id) {
    Promise<JsonObject> reply = Promise.promise();
    vertx.runOnContext(v -> RequestIds.runInNewScope(id, null, ignored -> {
      log.info("sending under {}", id);
      Bus.<JsonObject>request(vertx, "trace.test.hop1", id).onComplete(reply);
    }));
    return reply.future();
  }

  @Test
  void theIdFollowsTimersBlockingCodeAndBusHopsAndShowsInEveryLogLine() {
    try (LogCapture logs = LogCapture.of(RequestIdsTest.class.getName())) {
      JsonObject reply = Await.result(askUnder("req-one"));

      assertThat(reply).isEqualTo(new JsonObject().put("hop1", "req-one").put("blocking", "req-one").put("hop2", "req-one"));
      List<LogCapture.Line> lines = logs.lines();
      assertThat(lines).extracting(LogCapture.Line::message).containsExactly("sending under req-one",
        "hop1 got req-one", "hop1 after the timer", "hop1 in blocking code", "hop2 got a message",
        "hop1 after hop2's reply");
      assertThat(lines).allSatisfy(line -> assertThat(line.mdc(RequestIds.MDC_KEY)).isEqualTo("req-one"));
    }
  }

  @Test
  void concurrentRequestsKeepTheirOwnIds() {
    try (LogCapture logs = LogCapture.of(RequestIdsTest.class.getName())) {
      List<Future<JsonObject>> replies = List.of(askUnder("req-a"), askUnder("req-b"), askUnder("req-c"));
      Await.result(Future.all(replies));

      for (int i = 0; i < replies.size(); i++) {
        String id = List.of("req-a", "req-b", "req-c").get(i);
        assertThat(replies.get(i).result().getString("hop2")).isEqualTo(id);
        assertThat(logs.matching(m -> m.equals("hop1 got " + id))).singleElement()
          .satisfies(line -> assertThat(line.mdc(RequestIds.MDC_KEY)).isEqualTo(id));
      }
      assertThat(logs.matching(m -> m.equals("hop2 got a message")))
        .extracting(line -> line.mdc(RequestIds.MDC_KEY)).containsExactlyInAnyOrder("req-a", "req-b", "req-c");
    }
  }

  @Test
  void aMessageFromOutsideAnyRequestStartsANewIdAndItsRepliesDoNotLeakIntoTheSender() {
    // Sent from the test thread: no id. The consumer starts one, and hop2 runs under it too.
    JsonObject reply = Await.result(Bus.request(vertx, "trace.test.hop1", "no id"));
    assertThat(reply.getString("hop1")).matches("[0-9a-f]{16}");
    assertThat(reply.getString("hop2")).isEqualTo(reply.getString("hop1"));

    JsonObject another = Await.result(Bus.request(vertx, "trace.test.hop1", "no id"));
    assertThat(another.getString("hop1")).isNotEqualTo(reply.getString("hop1"));
  }

  @Test
  void aLogLineOutsideAnyRequestHasNoId() {
    try (LogCapture logs = LogCapture.of(RequestIdsTest.class.getName())) {
      Await.result(askUnder("req-before"));
      Promise<Void> logged = Promise.promise();
      vertx.runOnContext(v -> {
        log.info("outside any request");
        logged.complete();
      });
      Await.result(logged.future());
      assertThat(logs.matching(m -> m.equals("outside any request"))).singleElement()
        .satisfies(line -> assertThat(line.mdc(RequestIds.MDC_KEY)).isNull());
    }
  }

  @Test
  void callerGivenIdsAreCheckedBeforeUse() {
    assertThat(RequestIds.valid("abc-123_x.y:z")).isTrue();
    assertThat(RequestIds.valid("")).isFalse();
    assertThat(RequestIds.valid("a b")).isFalse();
    assertThat(RequestIds.valid("x".repeat(65))).isFalse();
    assertThat(RequestIds.valid("id\nFAKE LOG LINE")).isFalse();
  }
}
