package org.concurrencylab.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.cli.ProgressBar;
import org.concurrencylab.measure.Latencies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench orders}: a load client for any order app (the lab's or the peer's order_app.py). Sends
 * {@code --n} POST /order from {@code --concurrency} connections (every tenth a power user) and reports
 * their rate and latency percentiles; with {@code --health} (the lab's {@code /health}) it then waits until
 * no order waits or is in work and reports that drain time.
 */
@Command(name = "orders", mixinStandardHelpOptions = true,
  description = "POST /order throughput and latency, then the backlog's drain time (the lab's /health).")
final class OrderLoad implements Callable<Integer> {

  @Option(names = "--url", required = true, description = "The app, e.g. http://127.0.0.1:8080")
  String url;

  @Option(names = "--n", description = "POSTs in all (default ${DEFAULT-VALUE}).")
  int n = 10_000;

  @Option(names = "--concurrency", description = "Connections, each one request at a time (default ${DEFAULT-VALUE}).")
  int concurrency = 64;

  @Option(names = "--warmup", description = "Unmeasured POSTs first, the same mix (default ${DEFAULT-VALUE}); "
    + "with --health, the backlog they leave drains before the measured POSTs start.")
  long warmup = 0;

  @Option(names = "--health", description = "The lab's /health URL: wait for the backlog to drain and time it.")
  String health;

  @Option(names = "--drain-timeout-s", description = "Bound on the drain wait (default ${DEFAULT-VALUE}).")
  int drainTimeoutS = 120;

  @Override
  public Integer call() throws Exception {
    URI base = URI.create(url);
    Vertx vertx = Vertx.vertx();
    try {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setDefaultHost(base.getHost()).setDefaultPort(base.getPort()), new PoolOptions().setHttp1MaxSize(concurrency));
      if (warmup > 0) {
        // The server's JIT (and this client's) warms up on the same requests; then the backlog drains.
        postAll(vertx, client, warmup, new Latencies(), new TreeMap<>());
        if (health != null) {
          drain(vertx);
        }
      }
      Latencies latencies = new Latencies();
      Map<Integer, Long> statuses = new TreeMap<>();
      double seconds = postAll(vertx, client, n, latencies, statuses);
      Double drainS = health == null ? null : drain(vertx);
      JsonObject summary = latencies.summary();
      System.out.printf(Locale.ROOT, "%8s %12s %10s %10s %10s %10s%n", "posts", "posts/s", "p50 ms", "p99 ms", "max ms", "drain s");
      System.out.printf(Locale.ROOT, "%8d %12.0f %10.2f %10.2f %10.2f %10s%n", n, n / seconds, summary.getDouble("p50_ms"),
        summary.getDouble("p99_ms"), summary.getDouble("max_ms"), drainS == null ? "-" : String.format(Locale.ROOT, "%.2f", drainS));
      JsonObject statusCounts = new JsonObject();
      statuses.forEach((status, count) -> statusCounts.put(String.valueOf(status), count));
      System.out.println(new JsonObject().put("client", "orders").put("url", url).put("n", n).put("warmup", warmup)
        .put("concurrency", concurrency).put("seconds", Math.round(seconds * 1000) / 1000.0)
        .put("per_s", Math.round(n / seconds)).put("latency", summary).put("statuses", statusCounts)
        .put("drain_s", drainS).encode());
      return statuses.keySet().stream().allMatch(status -> status < 300) ? 0 : 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** Sends {@code total} POSTs over the connections, one at a time each; the seconds they took. */
  private double postAll(Vertx vertx, HttpClient client, long total, Latencies latencies, Map<Integer, Long> statuses)
    throws Exception {
    AtomicLong sent = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ProgressBar bar = ProgressBar.forStdout();
    long start = System.nanoTime();
    Promise<Void> finished = Promise.promise();
    vertx.runOnContext(v -> {
      for (int c = 0; c < concurrency; c++) {
        post(client, total, latencies, statuses, sent, done, finished, bar, start);
      }
    });
    finished.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    bar.finish();
    return seconds;
  }

  private void post(HttpClient client, long total, Latencies latencies, Map<Integer, Long> statuses, AtomicLong sent,
                    AtomicLong done, Promise<Void> finished, ProgressBar bar, long start) {
    long number = sent.getAndIncrement();
    if (number >= total) {
      return;
    }
    Buffer body = Buffer.buffer(number % 10 == 0 ? "{\"power_user\": true}" : "{}");
    long began = System.nanoTime();
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/order").setTimeout(30_000)
        .putHeader("content-type", "application/json"))
      .compose(request -> request.send(body))
      .compose(response -> response.body().map(response.statusCode()))
      .onComplete(result -> {
        latencies.recordSince(began);
        statuses.merge(result.succeeded() ? result.result() : -1, 1L, Long::sum);
        long count = done.incrementAndGet();
        if (count % 1000 == 0) {
          bar.update(count, total, count / ((System.nanoTime() - start) / 1e9), "");
        }
        if (count == total) {
          finished.tryComplete();
        } else {
          post(client, total, latencies, statuses, sent, done, finished, bar, start);
        }
      });
  }

  /** Polls the lab's /health until the queue service reports no order waiting or in work; seconds taken. */
  private double drain(Vertx vertx) throws Exception {
    long start = System.nanoTime();
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(drainTimeoutS)) {
      String body = http.send(java.net.http.HttpRequest.newBuilder(URI.create(health)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      JsonObject orders = new JsonObject(body).getJsonObject("services").getJsonObject("queue")
        .getJsonObject("stats").getJsonObject("orders");
      if (orders.getLong("waiting") <= 0 && orders.getLong("working") == 0) {
        return (System.nanoTime() - start) / 1e9;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("the backlog did not drain within " + drainTimeoutS + " s");
  }
}
