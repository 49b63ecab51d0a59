package org.concurrencylab.loop;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.eventloop.SelectorLoop;
import org.concurrencylab.measure.BlockedThreadWatch;
import org.concurrencylab.measure.Latencies;
import org.concurrencylab.measure.TimerLateness;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The book's 14.3, forcing a loop iteration ({@code await asyncio.sleep(0)}): a long CPU loop on an event loop
 * starves a timer; cut into slices that give the loop back between them, it does not. The same work runs
 * three ways on one event loop while a timer there is re-armed every {@code --tick-ms}:
 * <ol>
 *   <li>in one go: the timer waits for the whole loop, and Vert.x's blocked-thread checker says so;</li>
 *   <li>in slices, each queued with {@code runOnContext}: still late. Netty 4.2 runs queued tasks for up to a
 *       1 s quantum ({@code io.netty.eventLoop.maxTaskProcessingQuantumMs}) before it looks at timers and
 *       sockets again, and a slice that queues the next one keeps the queue from ever emptying;</li>
 *   <li>in slices, each after {@code vertx.timer(1, NANOSECONDS)}: on time. The next slice now waits in the
 *       timer queue behind the overdue tick, so the loop serves timers (and sockets) between slices: the
 *       counterpart of {@code asyncio.sleep(0)};</li>
 *   <li>in slices on our own event loop ({@link SelectorLoop}), each queued with {@code callSoon}: on time, as in
 *       asyncio, whose turns run only the callbacks queued before they began (a due timer waits behind at most
 *       the slice already queued: late by one or two slices).</li>
 * </ol>
 */
public final class YieldDemo implements Demo {

  @Override
  public String name() {
    return "yield";
  }

  @Override
  public String summary() {
    return "14.3: a long CPU loop starves a timer; sliced with runOnContext it still does; sliced with a timer yield it does not";
  }

  private enum Way {
    ONE_GO("in one go"),
    RUN_ON_CONTEXT("slices, runOnContext between"),
    TIMER_YIELD("slices, vertx.timer(1 ns) between"),
    OWN_LOOP("our own loop, callSoon between");

    final String label;

    Way(String label) {
      this.label = label;
    }
  }

  @Override
  public Future<JsonObject> run(DemoContext ctx) {
    long workMs = ctx.intOption("work-ms", 3_000);
    long sliceMs = ctx.intOption("slice-ms", 5);
    long tickMs = ctx.intOption("tick-ms", 10);
    if (workMs < 1 || sliceMs < 1 || tickMs < 1) {
      return Future.failedFuture(new IllegalArgumentException("--work-ms, --slice-ms and --tick-ms must be positive"));
    }
    ctx.say("%,d ms of CPU work on an event loop, in %d ms slices, while a %d ms timer is re-armed on the same loop.",
      workMs, sliceMs, tickMs);
    ctx.say("%-36s %9s %7s %12s %12s  %s", "the work runs", "took ms", "ticks", "late p50 ms", "late max ms",
      "blocked-thread checker");
    Context loop = ctx.vertx().getOrCreateContext();
    JsonObject out = new JsonObject().put("workMs", workMs).put("sliceMs", sliceMs).put("tickMs", tickMs);
    BlockedThreadWatch watch = BlockedThreadWatch.open();
    Future<Void> chain = Future.succeededFuture();
    for (Way way : Way.values()) {
      chain = chain.compose(v -> way == Way.OWN_LOOP
        ? ctx.vertx().executeBlocking(() -> onOwnLoop(workMs, sliceMs, tickMs), false)
        : measure(ctx.vertx(), loop, way, workMs, sliceMs, tickMs, watch)).map(row -> {
        out.put(key(way), row);
        ctx.say("%-36s %9.0f %7d %12.1f %12.1f  %s", way.label, row.getDouble("tookMs"), row.getLong("ticks"),
          row.getDouble("lateP50Ms"), row.getDouble("lateMaxMs"), row.getLong("blockedMs") > 0
            ? "loop blocked " + String.format("%,d", row.getLong("blockedMs")) + " ms" : "quiet");
        return null;
      });
    }
    return chain.eventually(() -> {
      watch.close();
      return Future.succeededFuture();
    }).map(v -> {
      ctx.say("The timer is on time only when the loop gets back to its timers between slices: a timer yield "
        + "does that; runOnContext queues the next slice in front of them. Our own loop (package eventloop), like "
        + "asyncio, runs in each turn only the callbacks queued before it, so call-soon is enough there.");
      return out;
    });
  }

  private static String key(Way way) {
    return switch (way) {
      case ONE_GO -> "oneGo";
      case RUN_ON_CONTEXT -> "runOnContext";
      case TIMER_YIELD -> "timerYield";
      case OWN_LOOP -> "ownLoop";
    };
  }

  private static Future<JsonObject> measure(Vertx vertx, Context loop, Way way, long workMs, long sliceMs, long tickMs,
                                            BlockedThreadWatch watch) {
    Promise<JsonObject> done = Promise.promise();
    int reportsBefore = watch.reports().size();
    loop.runOnContext(v -> {
      TimerLateness ticker = TimerLateness.start(vertx, tickMs);
      Latencies lateness = ticker.lateness();
      // Let the ticker settle, then work; afterwards give the tick that fell due meanwhile the time to fire.
      vertx.setTimer(5 * tickMs, t -> {
        long start = System.nanoTime();
        work(vertx, loop, way, TimeUnit.MILLISECONDS.toNanos(workMs), TimeUnit.MILLISECONDS.toNanos(sliceMs))
          .onComplete(worked -> {
            double tookMs = (System.nanoTime() - start) / 1e6;
            vertx.setTimer(3 * tickMs, t2 -> {
              ticker.stop();
              long blocked = watch.reports().subList(reportsBefore, watch.reports().size()).stream()
                .mapToLong(BlockedThreadWatch.Report::blockedMillis).max().orElse(0);
              done.complete(row(tookMs, lateness, blocked));
            });
          });
      });
    });
    return done.future();
  }

  /**
   * The sliced work on the lab's own event loop ({@link SelectorLoop}), a {@code callSoon} between slices (the
   * book's {@code asyncio.sleep(0)}), with the timer set by {@code callLater}. Blocks while it runs: on a worker.
   */
  private static JsonObject onOwnLoop(long workMs, long sliceMs, long tickMs) throws Exception {
    SelectorLoop own = SelectorLoop.open("yield-demo-loop");
    own.start();
    try {
      CompletableFuture<JsonObject> row = new CompletableFuture<>();
      own.execute(() -> {
        Latencies lateness = new Latencies();
        boolean[] stopped = {false};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
          long armed = System.nanoTime();
          own.callLater(Duration.ofMillis(tickMs), () -> {
            if (!stopped[0]) {
              lateness.recordNanos(System.nanoTime() - armed - TimeUnit.MILLISECONDS.toNanos(tickMs));
              tick[0].run();
            }
          });
        };
        tick[0].run();
        own.callLater(Duration.ofMillis(5 * tickMs), () -> {
          long start = System.nanoTime();
          long[] left = {TimeUnit.MILLISECONDS.toNanos(workMs)};
          Runnable[] slice = new Runnable[1];
          slice[0] = () -> {
            left[0] -= spin(Math.min(TimeUnit.MILLISECONDS.toNanos(sliceMs), left[0]));
            if (left[0] > 0) {
              own.callSoon(slice[0]);
              return;
            }
            double tookMs = (System.nanoTime() - start) / 1e6;
            own.callLater(Duration.ofMillis(3 * tickMs), () -> {
              stopped[0] = true;
              row.complete(row(tookMs, lateness, 0));
            });
          };
          slice[0].run();
        });
      });
      return row.get(workMs + 60_000, TimeUnit.MILLISECONDS);
    } finally {
      own.shutdown(Duration.ofSeconds(5));
    }
  }

  /** Burns {@code totalNanos} of CPU on the loop, in one go or in slices of {@code sliceNanos}. */
  private static Future<Void> work(Vertx vertx, Context loop, Way way, long totalNanos, long sliceNanos) {
    Promise<Void> done = Promise.promise();
    long[] left = {totalNanos};
    Runnable[] slice = new Runnable[1];
    slice[0] = () -> {
      long spent = spin(way == Way.ONE_GO ? left[0] : Math.min(sliceNanos, left[0]));
      left[0] -= spent;
      if (left[0] <= 0) {
        done.complete();
      } else if (way == Way.RUN_ON_CONTEXT) {
        loop.runOnContext(v -> slice[0].run());
      } else {
        vertx.timer(1, TimeUnit.NANOSECONDS).onSuccess(v -> slice[0].run());
      }
    };
    slice[0].run();
    return done.future();
  }

  private static volatile long sink;

  /** Busy CPU work for about {@code nanos}; returns the time spent. */
  private static long spin(long nanos) {
    long start = System.nanoTime();
    long x = sink;
    while (System.nanoTime() - start < nanos) {
      for (int i = 0; i < 1_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
    }
    sink = x;
    return System.nanoTime() - start;
  }

  /** One way's measurements: how long the work took, the timer's ticks and lateness, the checker's report. */
  private static JsonObject row(double tookMs, Latencies lateness, long blockedMs) {
    return new JsonObject()
      .put("tookMs", round(tookMs))
      .put("ticks", lateness.count())
      .put("lateP50Ms", round(lateness.percentileMillis(50)))
      .put("lateP99Ms", round(lateness.percentileMillis(99)))
      .put("lateMaxMs", round(lateness.maxMillis()))
      .put("blockedMs", blockedMs);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }
}
