package org.concurrencylab.blocking.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.concurrencylab.api.AllowedHosts;
import org.concurrencylab.cli.ProgressBar;
import org.concurrencylab.measure.HttpLoad;
import org.concurrencylab.spi.EventLoopTransports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code loadtest URL -n 10000 -c 100 [--duration S] [--timeout-ms T]}: the book's load tester on the
 * command line. A live progress bar on a terminal (plain lines otherwise), then a summary: requests,
 * failures by kind, requests per second, latency percentiles and a histogram, and one JSON line (with the
 * process's CPU seconds during the run, for benchmarks). The URL's host must be allowed by
 * {@code LAB_FETCH_ALLOW_HOSTS} (loopback by default).
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
  description = "GET a URL many times with bounded concurrency; live progress, then latency percentiles and a histogram.")
public final class LoadTestCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "the URL to GET (http or https, on an allowed host)")
  String url;

  @Option(names = "-n", description = "requests (default 1000, or unlimited with --duration)")
  Long count;

  @Option(names = "-c", description = "requests in flight at once (default ${DEFAULT-VALUE})")
  int concurrency = 100;

  @Option(names = "--duration", description = "stop after S seconds")
  long durationS;

  @Option(names = "--timeout-ms", description = "timeout of each request (default ${DEFAULT-VALUE})")
  long timeoutMs = 10_000;

  @Option(names = "--warmup", description = "untimed requests first, so the JIT has compiled the client (default 0)")
  long warmup;

  /**
   * The warm-up runs in rounds of this many requests per connection, each round on a client of its own, so
   * that opening and closing connections is compiled too, not only the requests: the timed run opens its
   * connections afresh. Rounds of 10 per connection (5 rounds of -c 100 in --warmup 5000) opened too few
   * connections: the JIT was still compiling Netty's connect path in the first 50 ms of the timed run.
   */
  private static final long WARMUP_REQUESTS_PER_CONNECTION = 2;

  private final PrintStream out;

  public LoadTestCommand() {
    this(System.out);
  }

  LoadTestCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    HttpLoad.Plan plan;
    Transport transport;
    try {
      transport = transport(System.getenv().getOrDefault("LAB_TRANSPORT", "nio"));
      long n = count != null ? count : durationS > 0 ? 0 : 1_000;
      String allowed = System.getenv().getOrDefault("LAB_" + AllowedHosts.SETTING.toUpperCase(Locale.ROOT),
        "127.0.0.1,localhost,::1");
      plan = LoadTestRequest.plan(AllowedHosts.parse(allowed), url, n, concurrency, durationS, timeoutMs);
      if (warmup < 0) {
        throw new IllegalArgumentException("--warmup must not be negative");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.builder().withTransport(transport).build();
    try {
      long roundSize = WARMUP_REQUESTS_PER_CONNECTION * plan.concurrency();
      for (long left = warmup; left > 0; left -= roundSize) {
        HttpLoad.Plan round = new HttpLoad.Plan(plan.url(), Math.min(left, roundSize), plan.concurrency(), 0,
          plan.timeoutMs());
        HttpLoad.run(vertx, round, null, 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      }
      if (warmup > 0) {
        // On stderr, so the summary and the JSON line stay as they are; bench/fetch.sh reads the target server's
        // CPU at this line to count only the timed run's share.
        System.err.printf(Locale.ROOT, "loadtest: warm-up of %,d requests done; timing %s%n", warmup,
          plan.count() > 0 ? String.format(Locale.ROOT, "%,d requests", plan.count()) : "the run");
        System.err.flush();
      }
      ProgressBar bar = out == System.out ? ProgressBar.forStdout() : new ProgressBar(out, false, 1_000);
      Future<HttpLoad.Result> run = HttpLoad.run(vertx, plan, progress -> bar.update(progress.done(), progress.total(),
        progress.perSecond(), "errors " + progress.errors()), 100);
      HttpLoad.Result result = run.toCompletionStage().toCompletableFuture()
        .get(MAX_WAIT_S + plan.durationMs() / 1000, TimeUnit.SECONDS);
      bar.finish();
      print(result, result.cpuSeconds());
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The event loops the client runs on, chosen as a lab node's are ({@code LAB_TRANSPORT}: {@code nio}, the
   * default, {@code epoll} or {@code io_uring}); one this machine cannot run falls back to NIO, said on stderr,
   * and an unknown name is an error, as on a lab node.
   * On epoll the client spent about 45% less CPU per request than on NIO (bench/results/fetch.md, session 6),
   * which a load tester sharing its machine with the server it measures feels twice.
   */
  static Transport transport(String name) {
    try {
      return EventLoopTransports.orNio(name, warning -> System.err.println("loadtest: " + warning));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("LAB_TRANSPORT=" + name + ": " + e.getMessage());
    }
  }

  /** A run of n requests is bounded by n x timeout / concurrency at worst; this is the wait's outer bound. */
  private static final long MAX_WAIT_S = 3_600;

  private void print(HttpLoad.Result result, double cpuSeconds) {
    out.printf(Locale.ROOT, "%nloadtest %s: %,d requests, %d at a time%n", result.url(), result.count(), concurrency);
    out.printf(Locale.ROOT, "  requests    %,d ok, %,d failed%n", result.count() - result.errors(), result.errors());
    if (!result.errorsByKind().isEmpty()) {
      out.printf(Locale.ROOT, "  failures    %s%n", result.errorsByKind().entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ")));
    }
    out.printf(Locale.ROOT, "  throughput  %,.0f req/s over %.2f s (client CPU %.2f s)%n", result.perSecond(),
      result.seconds(), cpuSeconds);
    if (result.latencies().count() > 0) {
      out.printf(Locale.ROOT, "  latency     p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms%n",
        result.latencies().percentileMillis(50), result.latencies().percentileMillis(90),
        result.latencies().percentileMillis(99), result.latencies().maxMillis());
      out.println("  histogram (answered requests by latency)");
      out.print(result.latencies().chart(12, 40));
    }
    JsonObject json = result.toJson().put("lab", "loadtest").put("concurrency", concurrency)
      .put("cpu_s", Math.round(cpuSeconds * 1000) / 1000.0);
    json.remove("histogram");
    out.println(json.encode());
    out.flush();
  }
}
