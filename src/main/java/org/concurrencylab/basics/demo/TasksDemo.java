package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.basics.task.CancellableTask;
import org.concurrencylab.spi.DemoContext;

/**
 * Listings 2.9 and 2.10: three tasks of {@code delay(3)} created at once finish in about 3 seconds, not 9,
 * and other code runs while they wait. Every wait is a timer: no thread sleeps.
 */
public final class TasksDemo extends BookDemo {

  static final int DELAY_SECONDS = 3;
  static final int TASKS = 3;
  static final int HELLOS = 2;

  @Override
  public String name() {
    return "tasks";
  }

  @Override
  public String summary() {
    return "2.9-2.10: three delay(3) tasks finish in about 3 s, and other code runs meanwhile [--second-ms 1000]";
  }

  @Override
  Future<JsonObject> tell(DemoContext context) {
    long second = BookDelay.secondMillis(context);
    context.say("Listings 2.9, 2.10: three tasks of delay(%d) created at once, then awaited one by one; meanwhile "
      + "another coroutine says hello every second. One second here is %d ms.", DELAY_SECONDS, second);
    Stopwatch main = Stopwatch.start();
    CancellableTask<Integer> first = BookDelay.start(context, DELAY_SECONDS, second);
    CancellableTask<Integer> again = BookDelay.start(context, DELAY_SECONDS, second);
    CancellableTask<Integer> onceMore = BookDelay.start(context, DELAY_SECONDS, second);
    Future<Integer> hellos = helloEverySecond(context, context.vertx(), HELLOS, second);
    return hellos
      .compose(said -> first.future())
      .compose(done -> again.future())
      .compose(done -> onceMore.future())
      .map(done -> {
        double total = main.millis();
        context.say("Three delays of %s took %s s in all, not the %d s of their sum: they waited at the same time, "
          + "on timers, while other code ran (%d hellos).", BookDelay.seconds(DELAY_SECONDS, second),
          Stopwatch.seconds(total), TASKS * DELAY_SECONDS, hellos.result());
        return new JsonObject().put("second_ms", second).put("tasks", TASKS)
          .put("delay_ms", DELAY_SECONDS * second).put("sum_ms", TASKS * DELAY_SECONDS * second)
          .put("total_ms", total).put("other_code_ran", hellos.result());
      });
  }

  /** The book's {@code hello_every_second()}: {@code times} times, wait a second and say so. */
  private static Future<Integer> helloEverySecond(DemoContext context, Vertx vertx, int times, long second) {
    Future<Integer> said = Future.succeededFuture(0);
    for (int i = 0; i < times; i++) {
      said = said.compose(count -> vertx.timer(second).map(fired -> {
        context.say("I'm running other code while I'm waiting!");
        return count + 1;
      }));
    }
    return said;
  }
}
