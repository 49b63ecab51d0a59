package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.basics.task.CancellableTask;
import org.concurrencylab.spi.DemoContext;

import java.util.concurrent.TimeUnit;

/**
 * Listing 2.13: {@code wait_for(shield(task), 5)} gives up after 5 seconds, but the shield keeps the timeout
 * from cancelling the task, which goes on and completes at 10 seconds.
 */
public final class ShieldDemo extends BookDemo {

  static final int TASK_SECONDS = 10;
  static final int TIMEOUT_SECONDS = 5;

  @Override
  public String name() {
    return "shield";
  }

  @Override
  public String summary() {
    return "2.13: wait_for(shield(delay(10)), 5) times out, yet the shielded task completes [--second-ms 1000]";
  }

  @Override
  Future<JsonObject> tell(DemoContext context) {
    long second = BookDelay.secondMillis(context);
    JsonObject claims = new JsonObject().put("second_ms", second);
    context.say("Listing 2.13: wait_for(shield(delay(%d)), %d). One second here is %d ms.", TASK_SECONDS,
      TIMEOUT_SECONDS, second);
    Stopwatch sinceStart = Stopwatch.start();
    CancellableTask<Integer> task = BookDelay.start(context, TASK_SECONDS, second);
    CancellableTask<Integer> shielded = task.shield();
    return timedOut(context, shielded.waitFor(TIMEOUT_SECONDS * second, TimeUnit.MILLISECONDS),
      () -> context.say("Task took longer than five seconds!"))
      .compose(timedOut -> {
        claims.put("timed_out", timedOut).put("timed_out_after_ms", sinceStart.millis())
          .put("shield_cancelled", shielded.isCancelled()).put("task_cancelled", task.isCancelled());
        return task.future();
      })
      .map(result -> {
        context.say("%d", result);
        double doneMs = sinceStart.millis();
        context.say("The wait was given up after %s s; the shielded task carried on and finished at %s s.",
          Stopwatch.seconds(claims.getDouble("timed_out_after_ms")), Stopwatch.seconds(doneMs));
        return claims.put("task_result", result).put("task_done_after_ms", doneMs);
      });
  }
}
