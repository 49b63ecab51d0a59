package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.basics.BasicsModule;
import org.concurrencylab.basics.Fibonacci;
import org.concurrencylab.basics.FibWorkerVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.spi.DemoContext;

import java.util.function.Supplier;

/**
 * Listings 1.5-1.8: CPU-bound work gains nothing from Python's threads (the GIL lets one run at a time),
 * I/O-bound work does. Java threads run on every core, so here the CPU-bound pair gains too: fib(n) and
 * fib(n + 1) one after the other, on two platform threads, and on two worker verticles over the bus; then
 * two GETs of a slow local server, one after the other and at the same time.
 */
public final class CpuVsIoDemo extends BookDemo {

  /** The book's times for fib(40) and fib(41), in seconds (Python 3.10, no threads / two threads). */
  static final double BOOK_SEQUENTIAL_S = 65.15;
  static final double BOOK_THREADS_S = 66.11;
  private static final long BUS_TIMEOUT_MS = 30 * 60_000;

  /** One run of fib(n) and fib(n + 1): their values, the wall time of the pair and each one's own time. */
  record FibPair(long first, long second, double totalMs, double firstMs, double secondMs) {
  }

  @Override
  public String name() {
    return "cpu-vs-io";
  }

  @Override
  public String summary() {
    return "1.5-1.8: fib(40)+fib(41) one after the other, on two threads, on two worker verticles; two GETs overlapping [--n 40 --repeat 3 --io-ms 200]";
  }

  @Override
  Future<JsonObject> tell(DemoContext context) {
    int n = Options.integer(context, "n", 40, 2, Fibonacci.MAX_N - 1);
    int repeat = Options.integer(context, "repeat", 3, 1, 20);
    long ioMillis = Options.number(context, "io-ms", 200, 0, 60_000);
    Vertx vertx = context.vertx();
    int cores = Runtime.getRuntime().availableProcessors();
    JsonObject claims = new JsonObject().put("n", n).put("cores", cores).put("repeat", repeat);

    context.say("CPU-bound: fib(%d) and fib(%d), the book's naive recursion (fib(1) = 0, fib(2) = 1).", n, n + 1);
    context.say("The book (listings 1.5, 1.6): %.2f s one after the other, %.2f s on two threads: no gain, the GIL "
      + "lets one thread run Python at a time.", BOOK_SEQUENTIAL_S, BOOK_THREADS_S);
    context.say("This machine has %d core(s); Java threads run on all of them.%s", cores, repeat > 1
      ? " Each time below is the best of " + repeat + " runs." : "");
    return vertx.deployVerticle(FibWorkerVerticle::standalone, FibWorkerVerticle.options(2))
      .compose(deployment -> warmUp(vertx, n)
        .compose(v -> rounds(vertx, n, repeat))
        .eventually(() -> vertx.undeploy(deployment)))
      .compose(best -> {
        FibPair sequential = best.sequential();
        claims.put("sequential_ms", sequential.totalMs())
          .put("fib_ms", new JsonObject().put("n", sequential.firstMs()).put("n_plus_1", sequential.secondMs()))
          .put("fib", new JsonObject().put(String.valueOf(n), sequential.first()).put(String.valueOf(n + 1), sequential.second()))
          .put("threads_ms", best.threads().totalMs())
          .put("threads_speedup", ratio(sequential.totalMs(), best.threads().totalMs()))
          .put("workers_ms", best.workers().totalMs())
          .put("workers_speedup", ratio(sequential.totalMs(), best.workers().totalMs()));
        context.say("  one after the other (1.5):   fib(%d) is %d, fib(%d) is %d: %s s", n, sequential.first(), n + 1,
          sequential.second(), Stopwatch.seconds(sequential.totalMs()));
        context.say("  on two threads (1.6):        %s s, %.2fx faster", Stopwatch.seconds(best.threads().totalMs()),
          claims.getDouble("threads_speedup"));
        context.say("  on two worker verticles:     %s s, %.2fx faster (two basics.fib requests over the bus)",
          Stopwatch.seconds(best.workers().totalMs()), claims.getDouble("workers_speedup"));
        double longer = Math.max(sequential.firstMs(), sequential.secondMs());
        double possible = cores >= 2 ? ratio(sequential.firstMs() + sequential.secondMs(), longer) : 1.0;
        claims.put("best_possible_speedup", possible);
        if (cores >= 2) {
          context.say("  Two tasks can at best finish when the longer one does: fib(%d) alone took %s s, so %.2fx is "
            + "the most two cores can give here, not 2x (fib(n + 1) costs 1.6 times fib(n)).", n + 1,
            Stopwatch.seconds(longer), possible);
        } else {
          context.say("  With one core, threads take turns: no speed-up is possible here.");
        }
        return twoGets(context, vertx, ioMillis, claims);
      })
      .map(claims);
  }

  /**
   * Lets the JIT compile fib, and the bus and the worker verticles serve a first request, before anything is
   * timed, so that the first way measured does not pay for them.
   */
  private static Future<Void> warmUp(Vertx vertx, int n) {
    int small = Math.min(n, 30);
    return vertx.executeBlocking(() -> {
      for (int i = 0; i < 10; i++) {
        Fibonacci.fib(small);
      }
      return null;
    }, false).compose(compiled -> onTwoWorkerVerticles(vertx, small - 1)).mapEmpty();
  }

  /**
   * Runs the three ways {@code repeat} times, in rounds (one after the other, threads, worker verticles), and keeps
   * each way's fastest run: noise on a shared machine only ever adds time, and rounds give every way the same JIT.
   */
  private static Future<Best> rounds(Vertx vertx, int n, int repeat) {
    Future<Best> chain = oneRound(vertx, n);
    for (int i = 1; i < repeat; i++) {
      chain = chain.compose(bestSoFar -> oneRound(vertx, n).map(bestSoFar::faster));
    }
    return chain;
  }

  private static Future<Best> oneRound(Vertx vertx, int n) {
    return oneAfterTheOther(vertx, n).compose(sequential -> onTwoThreads(n)
      .compose(threads -> onTwoWorkerVerticles(vertx, n)
        .map(workers -> new Best(sequential, threads, workers))));
  }

  /** The fastest run of each way so far. */
  record Best(FibPair sequential, FibPair threads, FibPair workers) {
    Best faster(Best other) {
      return new Best(min(sequential, other.sequential), min(threads, other.threads), min(workers, other.workers));
    }

    private static FibPair min(FibPair a, FibPair b) {
      return a.totalMs() <= b.totalMs() ? a : b;
    }
  }

  /** Listing 1.5: both on one worker thread, in turn. */
  private static Future<FibPair> oneAfterTheOther(Vertx vertx, int n) {
    return vertx.executeBlocking(() -> {
      Stopwatch pair = Stopwatch.start();
      long first = Fibonacci.fib(n);
      double firstMs = pair.millis();
      Stopwatch second = Stopwatch.start();
      long secondValue = Fibonacci.fib(n + 1);
      return new FibPair(first, secondValue, pair.millis(), firstMs, second.millis());
    }, false);
  }

  /** Listing 1.6: two platform threads, started together; the pair ends when both have. */
  private static Future<FibPair> onTwoThreads(int n) {
    Stopwatch pair = Stopwatch.start();
    Future<JsonObject> first = onNewThread(n);
    Future<JsonObject> second = onNewThread(n + 1);
    return Future.all(first, second).map(both -> pair(pair, first.result(), second.result()));
  }

  private static Future<JsonObject> onNewThread(int n) {
    Promise<JsonObject> done = Promise.promise();
    Thread thread = new Thread(() -> {
      Stopwatch own = Stopwatch.start();
      long fib = Fibonacci.fib(n);
      done.complete(new JsonObject().put("fib", fib).put("ms", own.millis()));
    }, "fib-" + n);
    thread.start();
    return done.future();
  }

  /** The lab's way: two requests to {@code basics.fib}, served by two worker verticle instances at once. */
  private static Future<FibPair> onTwoWorkerVerticles(Vertx vertx, int n) {
    Stopwatch pair = Stopwatch.start();
    Future<JsonObject> first = Bus.request(vertx, BasicsModule.FIB, new JsonObject().put("n", n), BUS_TIMEOUT_MS);
    Future<JsonObject> second = Bus.request(vertx, BasicsModule.FIB, new JsonObject().put("n", n + 1), BUS_TIMEOUT_MS);
    return Future.all(first, second).map(both -> pair(pair, first.result(), second.result()));
  }

  /** A pair from two {@code {fib, ms}} results. */
  private static FibPair pair(Stopwatch pair, JsonObject first, JsonObject second) {
    return new FibPair(first.getLong("fib"), second.getLong("fib"), pair.millis(),
      first.getDouble("ms"), second.getDouble("ms"));
  }

  /** Listings 1.7 and 1.8: two GETs, in turn and at once, against a local server that takes {@code ioMillis}. */
  private static Future<Void> twoGets(DemoContext context, Vertx vertx, long ioMillis, JsonObject claims) {
    context.say("I/O-bound (1.7, 1.8): two GETs of a local server that answers after %d ms (the book GETs example.com: "
      + "0.23 s in turn, 0.098 s on two threads).", ioMillis);
    HttpClient client = vertx.createHttpClient();
    return SlowHttpServer.start(vertx, ioMillis).compose(server -> {
      Supplier<Future<Buffer>> get = () -> client.request(server.request())
        .compose(request -> request.send().compose(HttpClientResponse::body));
      // One GET first so that connecting and class loading are not timed.
      return get.get()
        .compose(warm -> {
          Stopwatch inTurn = Stopwatch.start();
          return get.get().compose(first -> get.get()).map(second -> inTurn.millis());
        })
        .compose(inTurnMs -> {
          Stopwatch atOnce = Stopwatch.start();
          return Future.all(get.get(), get.get()).map(both -> {
            double atOnceMs = atOnce.millis();
            claims.put("io_ms", ioMillis).put("io_sequential_ms", inTurnMs).put("io_concurrent_ms", atOnceMs);
            context.say("  one after the other:         %s s", Stopwatch.seconds(inTurnMs));
            context.say("  at the same time:            %s s: the waits overlap; no thread waits for either",
              Stopwatch.seconds(atOnceMs));
            return (Void) null;
          });
        })
        .eventually(server::close);
    }).eventually(client::close);
  }

  private static double ratio(double slower, double faster) {
    return faster <= 0 ? 0 : Math.round(slower / faster * 100) / 100.0;
  }
}
