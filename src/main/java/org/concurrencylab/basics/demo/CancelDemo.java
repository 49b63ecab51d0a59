package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.basics.CountingLoop;
import org.concurrencylab.basics.task.CancellableTask;
import org.concurrencylab.basics.task.Tasks;
import org.concurrencylab.spi.DemoContext;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Listing 2.11: a running task is cancelled, and cancelled means its work stops. Three kinds of work: a
 * timer (the book's {@code delay(10)}, cancelled after 5 seconds of polling; the demo then waits past its
 * 10 seconds to show it never fires), an HTTP request in flight (the server sees the client hang up and never
 * answers), and the counting loop on a worker thread (it stops counting).
 */
public final class CancelDemo extends BookDemo {

  static final int LONG_TASK_SECONDS = 10;
  static final int CANCEL_AFTER_SECONDS = 5;
  /** Far more than a demo would wait for: minutes of counting. */
  static final long COUNT_TO = 1_000_000_000_000L;
  private static final long GUARD_SECONDS = 30;

  @Override
  public String name() {
    return "cancel";
  }

  @Override
  public String summary() {
    return "2.11: cancelling a task stops its work: a timer, an HTTP request in flight, a counting loop [--second-ms 1000]";
  }

  @Override
  Future<JsonObject> tell(DemoContext context) {
    long second = BookDelay.secondMillis(context);
    Vertx vertx = context.vertx();
    JsonObject claims = new JsonObject().put("second_ms", second);
    context.say("Listing 2.11: a task of delay(%d), checked every second and cancelled after %d. One second here is %d ms.",
      LONG_TASK_SECONDS, CANCEL_AFTER_SECONDS, second);
    Stopwatch sinceStart = Stopwatch.start();
    AtomicBoolean fired = new AtomicBoolean();
    context.say("sleeping for %d second(s)", LONG_TASK_SECONDS);
    CancellableTask<Integer> longTask = Tasks.delay(vertx, LONG_TASK_SECONDS * second, () -> {
      fired.set(true);
      return LONG_TASK_SECONDS;
    });
    return pollUntilDone(context, vertx, longTask, second, 0)
      .compose(polls -> longTask.future().map(value -> false)
        .recover(failure -> Future.succeededFuture(failure instanceof CancellationException)))
      .compose(cancelled -> {
        context.say(cancelled ? "Our task was cancelled" : "Our task was NOT cancelled");
        claims.put("timer", new JsonObject().put("cancelled", cancelled).put("cancelled_at_ms", sinceStart.millis()));
        return cancelInFlightRequest(context, vertx, second, claims);
      })
      .compose(v -> cancelCountingLoop(context, vertx, second, claims))
      .compose(v -> {
        // Wait until the long task's timer would have fired, then look: a cancelled timer stays silent.
        long left = Math.max(1, LONG_TASK_SECONDS * second + second / 2 - (long) sinceStart.millis());
        context.say("Waiting until %s have passed since the long task started...", BookDelay.seconds(LONG_TASK_SECONDS, second));
        return vertx.timer(left);
      })
      .map(v -> {
        claims.getJsonObject("timer").put("fired", fired.get());
        context.say(fired.get() ? "The cancelled timer fired anyway!"
          : "The cancelled timer never fired: its work was really stopped.");
        return claims;
      });
  }

  /** The book's loop: while the task is not done, say so and check again in a second; cancel at the fifth. */
  private static Future<Integer> pollUntilDone(DemoContext context, Vertx vertx, CancellableTask<Integer> task,
                                               long second, int secondsElapsed) {
    if (task.future().isComplete()) {
      return Future.succeededFuture(secondsElapsed);
    }
    context.say("Task not finished, checking again in a second.");
    return vertx.timer(second).compose(fired -> {
      int elapsed = secondsElapsed + 1;
      if (elapsed == CANCEL_AFTER_SECONDS) {
        task.cancel();
      }
      return pollUntilDone(context, vertx, task, second, elapsed);
    });
  }

  /** A GET that the server answers only after 10 seconds, cancelled once the server has it. */
  private static Future<Void> cancelInFlightRequest(DemoContext context, Vertx vertx, long second, JsonObject claims) {
    context.say("An HTTP request in flight: GET of a local server that answers after %s, cancelled after 1.",
      BookDelay.seconds(LONG_TASK_SECONDS, second));
    HttpClient client = vertx.createHttpClient();
    return SlowHttpServer.start(vertx, LONG_TASK_SECONDS * second).compose(server -> {
      CancellableTask<Buffer> get = Tasks.get(vertx, client, server.request());
      return server.firstRequest().timeout(GUARD_SECONDS, TimeUnit.SECONDS)
        .compose(arrived -> vertx.timer(second))
        .compose(waited -> {
          Stopwatch sinceCancel = Stopwatch.start();
          get.cancel();
          return get.future().map(body -> false)
            .recover(failure -> Future.succeededFuture(failure instanceof CancellationException))
            .compose(cancelled -> server.firstHangUp().timeout(GUARD_SECONDS, TimeUnit.SECONDS).map(hungUp -> {
              double hangUpMs = sinceCancel.millis();
              claims.put("request", new JsonObject().put("cancelled", cancelled).put("hung_up", server.hungUp())
                .put("hang_up_after_ms", hangUpMs).put("answered", server.answered()));
              context.say("  the task is %s; the server saw the client hang up %.1f ms after cancel(), and answered "
                + "%d request(s)", cancelled ? "cancelled" : "NOT cancelled", hangUpMs, server.answered());
              return (Void) null;
            }));
        })
        .eventually(server::close);
    }).eventually(client::close);
  }

  /** The counting loop on a worker thread, asked to count for minutes, cancelled after a second. */
  private static Future<Void> cancelCountingLoop(DemoContext context, Vertx vertx, long second, JsonObject claims) {
    context.say("CPU work on a worker thread: counting to %,d, cancelled after 1 second.", COUNT_TO);
    CountingLoop loop = new CountingLoop(COUNT_TO);
    CancellableTask<Long> counting = Tasks.onWorker(vertx, loop::run);
    return vertx.timer(second).compose(fired -> {
      Stopwatch sinceCancel = Stopwatch.start();
      counting.cancel();
      return counting.future().map(counted -> false)
        .recover(failure -> Future.succeededFuture(failure instanceof CancellationException))
        .compose(cancelled -> {
          double stoppedMs = sinceCancel.millis();
          long stoppedAt = loop.counted();
          // Look again a little later: a loop that really stopped has not moved.
          return vertx.timer(Math.max(10, second / 10)).map(later -> {
            boolean stillCounting = loop.counted() != stoppedAt;
            claims.put("count", new JsonObject().put("cancelled", cancelled).put("n", COUNT_TO)
              .put("counted", stoppedAt).put("stopped_after_ms", stoppedMs).put("still_counting", stillCounting));
            context.say("  the task is %s; the loop stopped at %,d of %,d, %.1f ms after cancel(), and %s",
              cancelled ? "cancelled" : "NOT cancelled", stoppedAt, COUNT_TO, stoppedMs,
              stillCounting ? "is STILL counting" : "has not counted since");
            return (Void) null;
          });
        });
    });
  }
}
