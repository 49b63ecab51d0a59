package org.concurrencylab.mapreduce.lessons;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code demo parallel-loops [--a 100000000] [--b 200000000]}: the book's listing 6.1, two CPU-bound loops
 * run one after the other, then at the same time on two worker threads. In Python each needs a process of
 * its own (the GIL); in Java two threads suffice, and the wall time drops from the sum to about the longer
 * loop when two cores are free.
 */
public final class ParallelLoopsDemo implements Demo {

  /** How long a loop waits at the start line for the other to get a thread. */
  private static final long START_LINE_WAIT_S = 10;

  /** One loop's run: its result (so the JIT cannot drop the loop), its thread, and when it ran. */
  record LoopRun(long steps, long result, String thread, long startNanos, long endNanos) {
    long millis() {
      return (endNanos - startNanos) / 1_000_000;
    }
  }

  @Override
  public String name() {
    return "parallel-loops";
  }

  @Override
  public String summary() {
    return "6.1: two CPU loops (100 M and 200 M steps) one after the other, then in parallel on worker threads";
  }

  /**
   * A loop of {@code steps} steps whose result depends on every step (a linear congruential generator), so
   * the JIT cannot fold it into a formula the way it folds {@code while (i < n) i++}.
   */
  static long spin(long steps) {
    long x = steps;
    for (long i = 0; i < steps; i++) {
      x = x * 6364136223846793005L + 1442695040888963407L;
    }
    return x;
  }

  static Future<LoopRun> loopOnWorker(Vertx vertx, long steps) {
    return loopOnWorker(vertx, steps, null);
  }

  /**
   * With a {@code startLine}, the loop waits (on its worker thread, at most {@link #START_LINE_WAIT_S} s) until
   * every loop sharing it has a thread, so loops that run in parallel start together: on a fast machine a short
   * loop could otherwise finish before the second one is even scheduled, and look sequential.
   */
  static Future<LoopRun> loopOnWorker(Vertx vertx, long steps, CountDownLatch startLine) {
    return vertx.executeBlocking(() -> {
      if (startLine != null) {
        startLine.countDown();
        startLine.await(START_LINE_WAIT_S, TimeUnit.SECONDS);
      }
      long started = System.nanoTime();
      long result = spin(steps);
      return new LoopRun(steps, result, Thread.currentThread().getName(), started, System.nanoTime());
    }, false);
  }

  @Override
  public Future<JsonObject> run(DemoContext context) {
    long a = context.intOption("a", 100_000_000);
    long b = context.intOption("b", 200_000_000);
    if (a < 1 || b < 1) {
      return Future.failedFuture(new IllegalArgumentException("--a and --b must be at least 1"));
    }
    Vertx vertx = context.vertx();
    context.say("Two loops of %,d and %,d steps (the book counts to 100 M and 200 M).", a, b);
    spin(1_000_000); // warm the JIT so both runs time compiled code
    long sequentialStart = System.nanoTime();
    return loopOnWorker(vertx, a)
      .compose(first -> loopOnWorker(vertx, b).map(second -> new LoopRun[] {first, second}))
      .compose(sequential -> {
        long sequentialMs = (System.nanoTime() - sequentialStart) / 1_000_000;
        context.say("  one after the other: %,d ms + %,d ms = %,d ms", sequential[0].millis(), sequential[1].millis(),
          sequentialMs);
        long parallelStart = System.nanoTime();
        CountDownLatch startLine = new CountDownLatch(2);
        return Future.all(loopOnWorker(vertx, a, startLine), loopOnWorker(vertx, b, startLine)).map(both -> {
          long parallelMs = (System.nanoTime() - parallelStart) / 1_000_000;
          LoopRun first = both.resultAt(0);
          LoopRun second = both.resultAt(1);
          boolean overlapped = first.startNanos() < second.endNanos() && second.startNanos() < first.endNanos();
          context.say("  at the same time on %s and %s: %,d ms and %,d ms, %,d ms of wall time", first.thread(),
            second.thread(), first.millis(), second.millis(), parallelMs);
          context.say("Running together took %.0f%% of the sequential time: the longer loop sets the pace when "
            + "each has a core (book, 8 cores: 5.38 s and 10.63 s, 10.86 s together).", 100.0 * parallelMs / Math.max(1, sequentialMs));
          return new JsonObject()
            .put("steps", new JsonObject().put("a", a).put("b", b))
            .put("results", new JsonObject().put("a", first.result()).put("b", second.result())
              .put("sameAsSequential", first.result() == sequential[0].result() && second.result() == sequential[1].result()))
            .put("sequentialMs", sequentialMs)
            .put("parallelMs", parallelMs)
            .put("threads", new io.vertx.core.json.JsonArray().add(first.thread()).add(second.thread()))
            .put("overlapped", overlapped);
        });
      });
  }
}
