package org.concurrencylab.blocking;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.measure.BlockedThreadWatch;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code demo threads}: the book's 7.3-7.8 question (blocking HTTP calls and an event loop) answered four
 * ways against a local server that answers after {@code --delay-ms}: a blocking JDK call on the event loop
 * (wrong: the loop stalls and Vert.x's blocked-thread checker fires), the same call through
 * {@code executeBlocking(..., false)}, through a worker verticle of {@code --instances} instances, and the
 * non-blocking Vert.x client. A timer due every 10 ms on the same loop measures how long other work waited.
 *
 * <p>The experiment runs on a Vert.x instance of its own whose checker looks every 100 ms and complains
 * after 300 ms; the first part blocks its loop on purpose, inside a {@link BlockedThreadWatch} so the
 * checker's reports are shown here and kept out of the log.
 */
final class ThreadsDemo implements Demo {

  @Override
  public String name() {
    return "threads";
  }

  @Override
  public String summary() {
    return "ch7 7.3-7.8: blocking HTTP calls on the event loop vs executeBlocking vs a worker verticle vs non-blocking";
  }

  /** One way of making the calls: its total time and how long the loop's ticker waited at most. */
  private record Outcome(double totalMs, double stallMs) {
  }

  @Override
  public Future<JsonObject> run(DemoContext demo) {
    int n = demo.intOption("n", 20);
    int delay = demo.intOption("delay-ms", 100);
    int instances = demo.intOption("instances", 5);
    if (n < 1 || n > 1_000 || delay < 1 || delay > 10_000 || instances < 1 || instances > 100) {
      return Future.failedFuture(new IllegalArgumentException(
        "need 1 <= --n <= 1000, 1 <= --delay-ms <= 10000 and 1 <= --instances <= 100"));
    }
    Vertx lab = Vertx.vertx(new VertxOptions()
      .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxEventLoopExecuteTime(300).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
      .setWorkerPoolSize(Math.max(20, n)));
    HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Context loop = lab.getOrCreateContext();
    JsonObject claims = new JsonObject().put("n", n).put("delay_ms", delay).put("instances", instances);
    return SlowServer.start(demo.vertx(), delay)
      .compose(server -> new Experiment(demo, lab, loop, jdk, server.actualPort(), n, delay, instances, claims).run())
      .eventually(lab::close)
      .map(claims);
  }

  private record Experiment(DemoContext demo, Vertx lab, Context loop, HttpClient jdk, int port, int n, int delay,
                            int instances, JsonObject claims, BlockedThreadWatch watch) {

    Experiment(DemoContext demo, Vertx lab, Context loop, HttpClient jdk, int port, int n, int delay, int instances,
               JsonObject claims) {
      this(demo, lab, loop, jdk, port, n, delay, instances, claims, BlockedThreadWatch.open());
    }

    String url() {
      return "http://127.0.0.1:" + port + "/";
    }

    Future<Void> run() {
      demo.say("Chapter 7: %d HTTP GETs of a local server that answers after %d ms, four ways.", n, delay);
      demo.say("A timer due every 10 ms on the same event loop tells how long other work had to wait.");
      demo.say("");
      demo.say("  %-44s %10s %16s", "way", "total", "loop stalled");
      // The watch is open for the whole experiment: the checker's reports are shown here, not logged.
      return warmUp().compose(v -> onTheLoop())
        .compose(v -> timed("executeBlocking(..., false)", "execute_blocking", this::withExecuteBlocking))
        .compose(v -> lab.deployVerticle(() -> new BlockingGetVerticle("threads.demo.get", jdk),
            new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(instances))
          .compose(id -> timed("a worker verticle, " + instances + " instances", "worker", this::withWorkerVerticle)))
        .compose(v -> timed("the non-blocking Vert.x HttpClient", "non_blocking", this::nonBlocking))
        .eventually(() -> {
          watch.close();
          return Future.succeededFuture();
        })
        .map(v -> {
          int elsewhere = watch.reports().size() - claims.getInteger("checker_reports");
          if (elsewhere > 0) {
            demo.say("  (the checker also fired %d time(s) outside the first part: a busy machine or first-use"
              + " class loading on the loop)", elsewhere);
          }
          demo.say("");
          demo.say("Blocking on the loop serialises the calls and freezes everything else on that loop; worker");
          demo.say("threads run them side by side (as many at once as there are threads or instances); the");
          demo.say("non-blocking client needs no extra threads at all.");
          return null;
        });
    }

    /**
     * One untimed call each way first: the first use of a client loads and initialises its classes, which
     * would otherwise be counted as stall time against whichever way came first.
     */
    Future<Void> warmUp() {
      Promise<Void> done = Promise.promise();
      loop.runOnContext(v -> {
        HttpClientAgent client = lab.createHttpClient();
        lab.executeBlocking(() -> BlockingGetVerticle.BlockingGet.status(jdk, url()), false)
          .compose(status -> client.request(HttpMethod.GET, port, "127.0.0.1", "/"))
          .compose(request -> request.send())
          .compose(HttpClientResponse::body)
          .eventually(client::close)
          .<Void>mapEmpty()
          .onComplete(done);
      });
      return done.future();
    }

    /** The wrong way: blocking calls on the event loop itself. */
    Future<Void> onTheLoop() {
      int before = watch.reports().size();
      Promise<Outcome> done = Promise.promise();
      loop.runOnContext(v -> {
        LoopTicker ticker = new LoopTicker(loop);
        ticker.start();
        long started = System.nanoTime();
        try {
          for (int i = 0; i < n; i++) {
            BlockingGetVerticle.BlockingGet.status(jdk, url()); // blocks the event loop, on purpose
          }
          done.complete(new Outcome((System.nanoTime() - started) / 1e6, ticker.stop()));
        } catch (Exception e) {
          ticker.stop();
          done.fail(e);
        }
      });
      // The checker looks every 100 ms: give it one more look before reading what it said.
      return done.future().compose(outcome -> lab.timer(150).map(outcome))
        .map(outcome -> {
          List<BlockedThreadWatch.Report> reports = watch.reports().subList(before, watch.reports().size());
          long longest = reports.stream().mapToLong(BlockedThreadWatch.Report::blockedMillis).max().orElse(0);
          row("a blocking JDK call on the event loop", outcome);
          demo.say("  %-44s Vert.x's checker: the loop was blocked for %,d ms (%d warnings)", "", longest,
            reports.size());
          claims.put("on_loop_ms", outcome.totalMs()).put("on_loop_stall_ms", outcome.stallMs())
            .put("checker_longest_ms", longest).put("checker_reports", reports.size());
          return null;
        });
    }

    Future<Void> timed(String way, String key, Supplier<Future<?>> calls) {
      Promise<Outcome> done = Promise.promise();
      loop.runOnContext(v -> {
        LoopTicker ticker = new LoopTicker(loop);
        ticker.start();
        long started = System.nanoTime();
        calls.get().onComplete(all -> {
          Outcome outcome = new Outcome((System.nanoTime() - started) / 1e6, ticker.stop());
          if (all.succeeded()) {
            done.complete(outcome);
          } else {
            done.fail(all.cause());
          }
        });
      });
      return done.future().map(outcome -> {
        row(way, outcome);
        claims.put(key + "_ms", outcome.totalMs()).put(key + "_stall_ms", outcome.stallMs());
        return null;
      });
    }

    Future<?> withExecuteBlocking() {
      Callable<Integer> get = () -> BlockingGetVerticle.BlockingGet.status(jdk, url());
      return all(() -> lab.executeBlocking(get, false));
    }

    Future<?> withWorkerVerticle() {
      return all(() -> lab.eventBus().request("threads.demo.get", url()));
    }

    Future<?> nonBlocking() {
      HttpClientAgent client = lab.createHttpClient(new PoolOptions().setHttp1MaxSize(n));
      return all(() -> client.request(HttpMethod.GET, port, "127.0.0.1", "/")
          .compose(request -> request.send())
          .compose(HttpClientResponse::body))
        .eventually(client::close);
    }

    private Future<?> all(Supplier<Future<?>> call) {
      List<Future<?>> calls = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        calls.add(call.get());
      }
      return Future.all(calls);
    }

    private void row(String way, Outcome outcome) {
      demo.say("  %-44s %,7.0f ms %,13.0f ms", way, outcome.totalMs(), outcome.stallMs());
    }
  }
}
