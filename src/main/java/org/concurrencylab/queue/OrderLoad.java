package org.concurrencylab.queue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import org.concurrencylab.cli.ProgressBar;
import org.concurrencylab.measure.Latencies;
import org.concurrencylab.measure.ProcessCpu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>The client shares the machine's cores with the server it measures, so it is cheap on purpose: plain
 * HTTP/1.1 over {@link PostConnection}s, the request bytes built once, only the status line and
 * {@code Content-Length} of each answer read. Every server gets the same client.
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
      NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
      if (warmup > 0) {
        // The server's JIT (and this client's) warms up on the same requests; then the backlog drains.
        postAll(vertx, client, base, warmup, new Latencies(), new TreeMap<>());
        if (health != null) {
          drain(vertx);
        }
      }
      Latencies latencies = new Latencies();
      Map<Integer, Long> statuses = new TreeMap<>();
      double seconds = postAll(vertx, client, base, n, latencies, statuses);
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
        .put("drain_s", drainS).put("client_cpu_s", Math.round(ProcessCpu.nanos() / 1e6) / 1000.0).encode());
      return statuses.keySet().stream().allMatch(status -> status < 300) ? 0 : 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends {@code total} POSTs over {@link #concurrency} keep-alive connections, one at a time each; the
   * seconds they took. Each connection is a {@link PostConnection} on one event loop.
   */
  private double postAll(Vertx vertx, NetClient client, URI base, long total, Latencies latencies,
                         Map<Integer, Long> statuses) throws Exception {
    Buffer power = request(base, "{\"power_user\": true}");
    Buffer normal = request(base, "{}");
    AtomicLong sent = new AtomicLong();
    AtomicLong done = new AtomicLong();
    ProgressBar bar = ProgressBar.forStdout();
    long start = System.nanoTime();
    Promise<Void> finished = Promise.promise();
    List<PostConnection> connections = new ArrayList<>();
    vertx.runOnContext(v -> {
      for (int c = 0; c < concurrency; c++) {
        PostConnection connection = new PostConnection(vertx, client, base, total, sent, number -> number % 10 == 0 ? power : normal,
          (status, began) -> {
            latencies.recordSince(began);
            statuses.merge(status, 1L, Long::sum);
            long count = done.incrementAndGet();
            if (count % 1000 == 0) {
              bar.update(count, total, count / ((System.nanoTime() - start) / 1e9), "");
            }
            if (count == total) {
              finished.tryComplete();
            }
          });
        connections.add(connection);
        connection.connect();
      }
      long timeouts = vertx.setPeriodic(1_000, id -> connections.forEach(each -> each.checkTimeout(System.nanoTime())));
      finished.future().onComplete(over -> vertx.cancelTimer(timeouts));
    });
    finished.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    bar.finish();
    return seconds;
  }

  /** A whole POST /order request, written as is on every send (the same bytes for the lab and the peer). */
  private static Buffer request(URI base, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer(("POST /order HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
      + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII)).appendBytes(bytes);
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
