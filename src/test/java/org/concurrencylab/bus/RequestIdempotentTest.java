package org.concurrencylab.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Bus#requestIdempotent}: a request whose message is lost (as to a node that has just died) is sent again
 * and answered; a failure the service answered is final; the whole stays within its budget.
 */
class RequestIdempotentTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aLostMessageIsSentAgainAndAnswered() {
    AtomicInteger received = new AtomicInteger();
    // The first message vanishes without a reply, like one sent to a node killed a moment ago.
    Await.result(vertx.eventBus().<JsonObject>consumer("test.lossy", message -> {
      if (received.incrementAndGet() > 1) {
        message.reply(new JsonObject().put("attempt", received.get()));
      }
    }).completion());

    JsonObject reply = Await.result(Bus.requestIdempotent(vertx, "test.lossy", new JsonObject(), 200, 5_000));

    assertThat(reply.getInteger("attempt")).isEqualTo(2);
    assertThat(received).hasValue(2);
  }

  @Test
  void aFailureTheServiceAnsweredIsNotRepeated() {
    AtomicInteger received = new AtomicInteger();
    Await.result(vertx.eventBus().<JsonObject>consumer("test.refusing", message -> {
      received.incrementAndGet();
      message.fail(Failure.NOT_FOUND.code(), "no such thing");
    }).completion());

    Throwable failure = Await.failure(Bus.requestIdempotent(vertx, "test.refusing", new JsonObject(), 200, 5_000),
      java.time.Duration.ofSeconds(10));

    assertThat(Failure.of(failure)).isEqualTo(Failure.NOT_FOUND);
    assertThat(received).hasValue(1);
  }

  @Test
  void noConsumerFailsAtOnceAsUnavailable() {
    Throwable failure = Await.failure(Bus.requestIdempotent(vertx, "test.nobody", new JsonObject(), 200, 5_000),
      java.time.Duration.ofSeconds(10));

    assertThat(Failure.of(failure)).isEqualTo(Failure.UNAVAILABLE);
  }

  @Test
  void aServiceThatNeverAnswersTimesOutWithinTheBudget() {
    AtomicInteger received = new AtomicInteger();
    Await.result(vertx.eventBus().<JsonObject>consumer("test.silent", message -> received.incrementAndGet())
      .completion());

    Future<Object> request = Bus.requestIdempotent(vertx, "test.silent", new JsonObject(), 100, 450);
    Throwable failure = Await.failure(request, java.time.Duration.ofSeconds(10));

    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
    // 450 ms in attempts of 100: four full ones and a short rest (a late timer makes fewer), never unbounded.
    assertThat(received.get()).isBetween(2, 6);
  }

  @Test
  void attemptsLongerThanTheBudgetAreRefused() {
    assertThatThrownBy(() -> Bus.requestIdempotent(vertx, "test.any", new JsonObject(), 500, 100))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
