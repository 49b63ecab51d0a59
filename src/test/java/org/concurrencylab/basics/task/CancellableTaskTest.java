package org.concurrencylab.basics.task;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import org.concurrencylab.basics.CountingLoop;
import org.concurrencylab.basics.demo.SlowHttpServer;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Cancelled means the work really stopped: the timer never fires, the connection closes, the loop stops. */
class CancellableTaskTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static Vertx vertx;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    Await.result(client.close());
    Await.result(vertx.close());
  }

  @Test
  void aDelayCompletesWithItsValue() {
    CancellableTask<String> task = Tasks.delay(vertx, 20, () -> "done");
    assertThat(Await.result(task.future())).isEqualTo("done");
    assertThat(task.cancel()).isFalse();
    assertThat(task.isCancelled()).isFalse();
  }

  @Test
  void aCancelledDelayNeverFires() {
    AtomicInteger fired = new AtomicInteger();
    CancellableTask<Integer> task = Tasks.delay(vertx, 200, fired::incrementAndGet);
    assertThat(task.cancel()).isTrue();
    assertThat(task.cancel()).isFalse();
    assertThat(Await.failure(task.future(), WAIT)).isInstanceOf(CancellationException.class);
    Await.result(vertx.timer(400)); // well past the moment the timer was due
    assertThat(fired).hasValue(0);
  }

  @Test
  void aCancelledRequestClosesItsConnectionAndGetsNoAnswer() {
    SlowHttpServer server = Await.result(SlowHttpServer.start(vertx, 30_000));
    try {
      CancellableTask<Buffer> get = Tasks.get(vertx, client, server.request());
      Await.result(server.firstRequest(), WAIT);
      assertThat(get.cancel()).isTrue();
      assertThat(Await.failure(get.future(), WAIT)).isInstanceOf(CancellationException.class);
      Await.result(server.firstHangUp(), WAIT); // the server saw the client's connection close
      assertThat(server.hungUp()).isEqualTo(1);
      assertThat(server.answered()).isZero();
    } finally {
      Await.result(server.close());
    }
  }

  @Test
  void aRequestThatIsNotCancelledGetsItsAnswer() {
    SlowHttpServer server = Await.result(SlowHttpServer.start(vertx, 10));
    try {
      CancellableTask<Buffer> get = Tasks.get(vertx, client, server.request());
      assertThat(Await.result(get.future()).toString()).isEqualTo("answered after 10 ms\n");
      assertThat(server.answered()).isEqualTo(1);
    } finally {
      Await.result(server.close());
    }
  }

  @Test
  void cancelledWorkOnAWorkerStopsCounting() {
    CountingLoop loop = new CountingLoop(1_000_000_000_000L);
    AtomicReference<String> thread = new AtomicReference<>();
    CancellableTask<Long> counting = Tasks.onWorker(vertx, stop -> {
      thread.set(Thread.currentThread().getName());
      return loop.run(stop);
    });
    Await.until(() -> loop.counted() > 0, WAIT, "the loop has started counting");
    assertThat(counting.cancel()).isTrue();
    // The task completes only when the loop has returned.
    assertThat(Await.failure(counting.future(), WAIT)).isInstanceOf(CancellationException.class);
    long stoppedAt = loop.counted();
    assertThat(stoppedAt).isLessThan(loop.target());
    Await.result(vertx.timer(50));
    assertThat(loop.counted()).isEqualTo(stoppedAt);
    assertThat(thread.get()).startsWith("vert.x-worker-thread");
  }

  @Test
  void workThatFailsFailsTheTaskWithItsOwnError() {
    CancellableTask<Object> task = Tasks.onWorker(vertx, stop -> {
      throw new IllegalStateException("no luck");
    });
    assertThat(Await.failure(task.future(), WAIT)).isInstanceOf(IllegalStateException.class).hasMessage("no luck");
  }

  @Test
  void waitForTimesOutASlowTaskAndCancelsIt() {
    AtomicInteger fired = new AtomicInteger();
    CancellableTask<Integer> slow = Tasks.delay(vertx, 300, fired::incrementAndGet);
    Throwable failure = Await.failure(slow.waitFor(50, TimeUnit.MILLISECONDS), WAIT);
    assertThat(failure).isInstanceOf(TimeoutException.class);
    assertThat(slow.isCancelled()).isTrue();
    assertThat(slow.future().cause()).isInstanceOf(CancellationException.class);
    Await.result(vertx.timer(400));
    assertThat(fired).hasValue(0);
  }

  @Test
  void waitForGivesTheResultOfATaskThatFinishesInTime() {
    CancellableTask<String> fast = Tasks.delay(vertx, 20, () -> "in time");
    assertThat(Await.result(fast.waitFor(5, TimeUnit.SECONDS))).isEqualTo("in time");
    assertThat(fast.isCancelled()).isFalse();
  }

  @Test
  void aShieldedTaskCompletesAfterTheWaitForItTimedOut() {
    CancellableTask<String> task = Tasks.delay(vertx, 200, () -> "finished anyway");
    CancellableTask<String> shield = task.shield();
    assertThat(Await.failure(shield.waitFor(30, TimeUnit.MILLISECONDS), WAIT)).isInstanceOf(TimeoutException.class);
    assertThat(shield.isCancelled()).isTrue();
    assertThat(task.isCancelled()).isFalse();
    assertThat(Await.result(task.future())).isEqualTo("finished anyway");
  }

  @Test
  void cancellingAShieldFailsOnlyTheShieldAtOnce() {
    CancellableTask<String> task = Tasks.delay(vertx, 100, () -> "finished anyway");
    CancellableTask<String> shield = task.shield();
    assertThat(shield.cancel()).isTrue();
    assertThat(shield.future().cause()).isInstanceOf(CancellationException.class);
    assertThat(Await.result(task.future())).isEqualTo("finished anyway");
  }
}
