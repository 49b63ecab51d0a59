package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.basics.task.CancellableTask;
import org.concurrencylab.basics.task.Tasks;
import org.concurrencylab.spi.DemoContext;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Listing 2.12: {@code wait_for(delay(2), timeout=1)} fails with a timeout after 1 second and cancels the
 * slow task, whose timer then never fires. A task that finishes in time gives its result, for contrast.
 */
public final class WaitForDemo extends BookDemo {

  @Override
  public String name() {
    return "wait-for";
  }

  @Override
  public String summary() {
    return "2.12: wait_for(delay(2), 1) times out after 1 s and cancels the slow task [--second-ms 1000]";
  }

  @Override
  Future<JsonObject> tell(DemoContext context) {
    long second = BookDelay.secondMillis(context);
    JsonObject claims = new JsonObject().put("second_ms", second);
    context.say("Listing 2.12: wait_for(delay(2), timeout=1). One second here is %d ms.", second);
    Stopwatch sinceStart = Stopwatch.start();
    AtomicBoolean fired = new AtomicBoolean();
    context.say("sleeping for 2 second(s)");
    CancellableTask<Integer> slow = Tasks.delay(context.vertx(), 2 * second, () -> {
      fired.set(true);
      return 2;
    });
    return timedOut(context, slow.waitFor(second, TimeUnit.MILLISECONDS), () -> {
      context.say("Got a timeout!");
      context.say("Was the task cancelled? %s", slow.isCancelled() ? "True" : "False");
    })
      .compose(timedOut -> {
        claims.put("timed_out", timedOut).put("timed_out_after_ms", sinceStart.millis())
          .put("task_cancelled", slow.isCancelled());
        // Past the 2 seconds the slow task would have taken: its cancelled timer must not have fired.
        return context.vertx().timer(Math.max(1, 2 * second + second / 2 - (long) sinceStart.millis()));
      })
      .compose(waited -> {
        claims.put("task_fired", fired.get());
        context.say("%s later, the cancelled task's timer %s.", BookDelay.seconds(2, second),
          fired.get() ? "FIRED anyway" : "has not fired: the work was stopped, not just abandoned");
        context.say("For contrast, wait_for(delay(1), timeout=2):");
        Stopwatch fast = Stopwatch.start();
        return BookDelay.start(context, 1, second).waitFor(2 * second, TimeUnit.MILLISECONDS)
          .map(result -> {
            context.say("%d (after %s s)", result, Stopwatch.seconds(fast.millis()));
            return claims.put("in_time_result", result);
          });
      });
  }
}
