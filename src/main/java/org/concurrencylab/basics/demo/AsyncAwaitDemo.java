package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.basics.Fibonacci;
import org.concurrencylab.basics.task.CancellableTask;
import org.concurrencylab.basics.task.Tasks;
import org.concurrencylab.spi.DemoContext;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The chapter's flows once more, written the way the book writes them: straight-line code that awaits. Each
 * runs in a virtual-thread verticle, where {@code future.await()} suspends the virtual thread as
 * {@code await} suspends a coroutine: three delays, {@code wait_for}, cancelling a polled task, {@code shield},
 * and CPU work awaited on worker threads. Needs JDK 21+: on an older runtime the demo says so and skips.
 */
public final class AsyncAwaitDemo extends BookDemo {

  @Override
  public String name() {
    return "async-await";
  }

  @Override
  public String summary() {
    return "ch2 in async/await style: the same flows on a virtual-thread verticle with future.await() (JDK 21+) "
      + "[--second-ms 1000 --n 35]";
  }

  @Override
  Future<JsonObject> tell(DemoContext context) {
    long second = BookDelay.secondMillis(context);
    int n = Options.integer(context, "n", 35, 2, Fibonacci.MAX_N - 1);
    Vertx vertx = context.vertx();
    JsonObject claims = new JsonObject().put("second_ms", second).put("java", Runtime.version().feature());
    VirtualThreadRunner runner = new VirtualThreadRunner();
    return deploy(vertx, runner)
      .compose(deployment -> {
        claims.put("skipped", false);
        context.say("The chapter's flows written with future.await() on a virtual-thread verticle (Java %d). One "
          + "second here is %d ms.", Runtime.version().feature(), second);
        Flows flows = new Flows(context, vertx, second);
        // Two flows on one context at once, like two tasks on one event loop: they interleave where they await.
        Future<Integer> hellos = runner.run(flows::helloEverySecond);
        return runner.run(flows::threeDelays)
          .compose(delays -> hellos.map(said -> claims.put("three_delays_ms", delays).put("hellos", said)
            .put("flow_thread", flows.lastThread)))
          .compose(v -> runner.run(flows::waitFor)).map(waitFor -> claims.put("wait_for", waitFor))
          .compose(v -> runner.run(flows::cancel)).map(cancel -> claims.put("cancel", cancel))
          .compose(v -> runner.run(flows::shield)).map(shield -> claims.put("shield", shield))
          .compose(v -> runner.run(() -> flows.cpuOnWorkers(n))).map(cpu -> claims.put("cpu", cpu))
          .eventually(() -> vertx.undeploy(deployment));
      }, failure -> {
        if (!unsupported(failure)) {
          return Future.failedFuture(failure);
        }
        context.say("Skipped: this Java runtime (%d) has no virtual threads, so Vert.x cannot deploy a virtual-thread "
          + "verticle (\"%s\"). Run the lab on JDK 21 or newer to see the async/await form.",
          Runtime.version().feature(), failure.getMessage());
        return Future.succeededFuture(claims.put("skipped", true).put("reason", failure.getMessage()));
      })
      .map(claims);
  }

  private static Future<String> deploy(Vertx vertx, VirtualThreadRunner runner) {
    try {
      return vertx.deployVerticle(runner, VirtualThreadRunner.options());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static boolean unsupported(Throwable failure) {
    String message = failure.getMessage();
    return message != null && message.contains("does not support virtual threads");
  }

  /** The flows, each a straight line of awaits, run on virtual threads. */
  private static final class Flows {
    private final DemoContext context;
    private final Vertx vertx;
    private final long second;
    private volatile String lastThread;

    Flows(DemoContext context, Vertx vertx, long second) {
      this.context = context;
      this.vertx = vertx;
      this.second = second;
    }

    /** 2.9: three delay(3) tasks created, then awaited in turn. */
    double threeDelays() {
      lastThread = Thread.currentThread().toString();
      context.say("2.9: three delay(3) tasks, awaited in turn (running on %s):", lastThread);
      Stopwatch main = Stopwatch.start();
      CancellableTask<Integer> first = BookDelay.start(context, 3, second);
      CancellableTask<Integer> again = BookDelay.start(context, 3, second);
      CancellableTask<Integer> onceMore = BookDelay.start(context, 3, second);
      first.future().await();
      again.future().await();
      onceMore.future().await();
      double total = main.millis();
      context.say("  three delays of %s awaited in %s s", BookDelay.seconds(3, second), Stopwatch.seconds(total));
      return total;
    }

    /** 2.10: the other coroutine, running while the first one awaits. */
    int helloEverySecond() {
      for (int i = 0; i < 2; i++) {
        vertx.timer(second).await();
        context.say("I'm running other code while I'm waiting!");
      }
      return 2;
    }

    /** 2.12: wait_for(delay(2), 1). */
    JsonObject waitFor() {
      context.say("2.12: wait_for(delay(2), timeout=1):");
      CancellableTask<Integer> slow = BookDelay.start(context, 2, second);
      Stopwatch waited = Stopwatch.start();
      boolean timedOut = false;
      try {
        context.say("  %d", slow.waitFor(second, TimeUnit.MILLISECONDS).await());
      } catch (Exception e) {
        if (!(e instanceof TimeoutException)) {
          throw e;
        }
        timedOut = true;
        context.say("  Got a timeout!");
        context.say("  Was the task cancelled? %s", slow.isCancelled() ? "True" : "False");
      }
      return new JsonObject().put("timed_out", timedOut).put("timed_out_after_ms", waited.millis())
        .put("task_cancelled", slow.isCancelled());
    }

    /** 2.11: a long task polled every second and cancelled at the fifth. */
    JsonObject cancel() {
      context.say("2.11: delay(10), checked every second, cancelled after 5:");
      CancellableTask<Integer> longTask = Tasks.delay(vertx, 10 * second, () -> 10);
      int secondsElapsed = 0;
      while (!longTask.future().isComplete()) {
        context.say("  Task not finished, checking again in a second.");
        vertx.timer(second).await();
        secondsElapsed++;
        if (secondsElapsed == 5) {
          longTask.cancel();
        }
      }
      boolean cancelled = false;
      try {
        longTask.future().await();
      } catch (CancellationException e) {
        cancelled = true;
        context.say("  Our task was cancelled");
      }
      return new JsonObject().put("cancelled", cancelled).put("seconds_elapsed", secondsElapsed);
    }

    /** 2.13: wait_for(shield(delay(10)), 5), then the task's own result. */
    JsonObject shield() {
      context.say("2.13: wait_for(shield(delay(10)), 5):");
      Stopwatch main = Stopwatch.start();
      CancellableTask<Integer> task = BookDelay.start(context, 10, second);
      double timedOutAfter = -1;
      try {
        context.say("  %d", task.shield().waitFor(5 * second, TimeUnit.MILLISECONDS).await());
      } catch (Exception e) {
        if (!(e instanceof TimeoutException)) {
          throw e;
        }
        timedOutAfter = main.millis();
        context.say("  Task took longer than five seconds!");
      }
      int result = task.future().await();
      context.say("  %d", result);
      return new JsonObject().put("timed_out_after_ms", timedOutAfter).put("task_result", result)
        .put("done_after_ms", main.millis());
    }

    /** CPU work awaited: fib(n) and fib(n + 1) on worker threads at once; the virtual thread only waits. */
    JsonObject cpuOnWorkers(int n) {
      context.say("CPU work awaited: fib(%d) and fib(%d) on two worker threads at once:", n, n + 1);
      Stopwatch pair = Stopwatch.start();
      Future<Long> first = vertx.executeBlocking(() -> Fibonacci.fib(n), false);
      Future<Long> second = vertx.executeBlocking(() -> Fibonacci.fib(n + 1), false);
      long a = first.await();
      long b = second.await();
      double millis = pair.millis();
      context.say("  fib(%d) is %d, fib(%d) is %d: %s s", n, a, n + 1, b, Stopwatch.seconds(millis));
      return new JsonObject().put("n", n).put("fib", a).put("fib_next", b).put("ms", millis);
    }
  }
}
