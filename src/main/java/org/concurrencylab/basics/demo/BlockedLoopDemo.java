package org.concurrencylab.basics.demo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.basics.CountingLoop;
import org.concurrencylab.measure.BlockedThreadWatch;
import org.concurrencylab.spi.DemoContext;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Listings 2.18 and 2.19, and the book's debug mode: CPU work run on the event loop holds up everything else
 * on it. Two counting tasks and a {@code delay(4)} are started on one event loop while a periodic timer
 * measures how late it fires; Vert.x's blocked-thread checker, set as tight as the book's
 * {@code slow_callback_duration = 0.25}, reports the blocked loop. Then the same counts run on worker threads:
 * the timer is on time and the checker is silent.
 *
 * <p>The demo blocks an event loop on purpose, on a Vert.x instance of its own, inside a
 * {@link BlockedThreadWatch}: the checker's reports are shown here instead of reaching the log.
 */
public final class BlockedLoopDemo extends BookDemo {

  /** The book's count: 100,000,000, 4.67 s each in Python. Java needs more to block for as long. */
  static final long BOOK_COUNT = 100_000_000L;
  static final double BOOK_COUNT_S = 4.67;
  static final long DEFAULT_COUNT = 2_000_000_000L;
  static final int DELAY_SECONDS = 4;

  @Override
  public String name() {
    return "blocked-loop";
  }

  @Override
  public String summary() {
    return "2.18-2.19 + debug mode: counting on the event loop makes a timer late and the checker report it; on workers it does not "
      + "[--n 2000000000 --second-ms 1000 --tick-ms 100 --max-ms 250]";
  }

  @Override
  Future<JsonObject> tell(DemoContext context) {
    long n = Options.number(context, "n", DEFAULT_COUNT, 1, 1_000_000_000_000L);
    long second = BookDelay.secondMillis(context);
    long tickMs = Options.number(context, "tick-ms", 100, 1, 10_000);
    long maxMs = Options.number(context, "max-ms", 250, 1, 60_000);
    long checkMs = Math.max(5, maxMs / 5);
    JsonObject claims = new JsonObject().put("n", n).put("second_ms", second).put("delay_ms", DELAY_SECONDS * second)
      .put("tick_ms", tickMs).put("max_ms", maxMs).put("check_ms", checkMs);
    context.say("Listings 2.18, 2.19: two tasks of cpu_bound_work() counting to %,d, and a delay(%d), all created "
      + "at once on one event loop. The book counted to %,d: %.2f s each in Python.", n, DELAY_SECONDS, BOOK_COUNT,
      BOOK_COUNT_S);
    context.say("A timer ticks every %d ms meanwhile. Vert.x's blocked-thread checker (the book's debug mode) looks "
      + "every %d ms and reports any event loop busy for more than %d ms.", tickMs, checkMs, maxMs);

    // A Vert.x of the demo's own, its checker as strict as the book's slow_callback_duration; no stack traces.
    Vertx blocking = Vertx.vertx(new VertxOptions()
      .setBlockedThreadCheckInterval(checkMs).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxEventLoopExecuteTime(maxMs).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setWarningExceptionTime(1).setWarningExceptionTimeUnit(TimeUnit.HOURS));
    BlockedThreadWatch watch = BlockedThreadWatch.open();
    Context loop = blocking.getOrCreateContext();
    Phase onLoop = new Phase(context, blocking, loop, watch, n, second, tickMs, false);
    Phase onWorkers = new Phase(context, blocking, loop, watch, n, second, tickMs, true);
    context.say("On the event loop:");
    return onLoop.run()
      .compose(loopClaims -> {
        claims.put("event_loop", loopClaims);
        report(context, loopClaims, maxMs);
        context.say("On worker threads (executeBlocking):");
        return onWorkers.run();
      })
      .map(workerClaims -> {
        claims.put("worker", workerClaims);
        report(context, workerClaims, maxMs);
        return claims;
      })
      .eventually(() -> {
        watch.close();
        return blocking.close();
      });
  }

  private static void report(DemoContext context, JsonObject phase, long maxMs) {
    context.say("  main finished in %s s; the delay(%d) finished %s s after it was created.",
      Stopwatch.seconds(phase.getDouble("total_ms")), DELAY_SECONDS, Stopwatch.seconds(phase.getDouble("delay_done_at_ms")));
    context.say("  the %d ms timer ticked %d times and was up to %.1f ms late.", phase.getLong("tick_ms"),
      phase.getInteger("ticks"), phase.getDouble("timer_late_max_ms"));
    int reports = phase.getInteger("checker_reports");
    if (reports == 0) {
      context.say("  the blocked-thread checker said nothing.");
    } else {
      context.say("  the blocked-thread checker reported %d time(s): \"%s has been blocked for %d ms, time limit is %d ms\" "
          + "(the book's debug mode: \"Executing <Task ...> took 4.829 seconds\").", reports, phase.getString("checker_thread"),
        phase.getLong("checker_longest_ms"), maxMs);
    }
  }

  /** One run of the listing: two counts and a delay, created at once, on the loop or on workers. */
  private record Phase(DemoContext context, Vertx vertx, Context loop, BlockedThreadWatch watch, long n, long second,
                       long tickMs, boolean onWorkers) {

    Future<JsonObject> run() {
      Promise<JsonObject> done = Promise.promise();
      int reportsBefore = watch.reports().size();
      loop.runOnContext(start -> {
        Ticker ticker = Ticker.start(vertx, tickMs);
        Stopwatch main = Stopwatch.start();
        Future<Double> one = countTask();
        Future<Double> two = countTask();
        Future<Double> delay = delayTask(main);
        Future.all(one, two, delay).onComplete(all -> {
          double late = ticker.stop();
          if (all.failed()) {
            done.fail(all.cause());
            return;
          }
          List<BlockedThreadWatch.Report> reports = watch.reports();
          List<BlockedThreadWatch.Report> mine = reports.subList(reportsBefore, reports.size());
          done.complete(new JsonObject()
            .put("count_ms", new JsonArray().add(one.result()).add(two.result()))
            .put("total_ms", main.millis())
            .put("delay_done_at_ms", delay.result())
            .put("tick_ms", tickMs)
            .put("ticks", ticker.ticks())
            .put("timer_late_max_ms", late)
            .put("checker_reports", mine.size())
            .put("checker_longest_ms", mine.stream().mapToLong(BlockedThreadWatch.Report::blockedMillis).max().orElse(0))
            .put("checker_thread", mine.isEmpty() ? null : mine.get(mine.size() - 1).thread()));
        });
      });
      return done.future();
    }

    /** The book's {@code async_timed} cpu_bound_work(): on the loop as a queued callback, or on a worker. */
    private Future<Double> countTask() {
      if (onWorkers) {
        return vertx.executeBlocking(this::timedCount, false);
      }
      Promise<Double> counted = Promise.promise();
      loop.runOnContext(run -> counted.complete(timedCount()));
      return counted.future();
    }

    private double timedCount() {
      context.say("  starting cpu_bound_work on %s", Thread.currentThread().getName());
      Stopwatch own = Stopwatch.start();
      new CountingLoop(n).run();
      double millis = own.millis();
      context.say("  finished cpu_bound_work in %s second(s)", Stopwatch.seconds(millis));
      return millis;
    }

    /** The book's delay(4), as a task: it starts when the loop gets to it. Completes with its time since main began. */
    private Future<Double> delayTask(Stopwatch main) {
      Promise<Double> slept = Promise.promise();
      loop.runOnContext(run -> {
        context.say("  sleeping for %d second(s)", DELAY_SECONDS);
        vertx.timer(DELAY_SECONDS * second).onComplete(fired -> {
          context.say("  finished sleeping for %d second(s)", DELAY_SECONDS);
          slept.complete(main.millis());
        });
      });
      return slept.future();
    }
  }
}
