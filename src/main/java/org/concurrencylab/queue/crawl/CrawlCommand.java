package org.concurrencylab.queue.crawl;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.cli.ProgressBar;
import org.concurrencylab.measure.ProcessCpu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar concurrency-lab.jar crawl URL [--max-depth 3] [--workers 100] [--loops N] [--timeout-ms 3000]}: crawls
 * from URL with a progress line, then prints a summary and one JSON line (the peer's fields). Only hosts of
 * {@code fetch_allow_hosts} ({@code LAB_FETCH_ALLOW_HOSTS}) may be crawled.
 */
@Command(name = "crawl", mixinStandardHelpOptions = true,
  description = "Crawl a site from URL (the book's 12.4): pages within --max-depth links, on the start host only.")
public final class CrawlCommand implements Callable<Integer> {

  @Parameters(index = "0", description = "The start URL (its host must be in LAB_FETCH_ALLOW_HOSTS).")
  String url;

  @Option(names = "--max-depth", description = "Links followed from the start page, at most (default ${DEFAULT-VALUE}).")
  int maxDepth = 3;

  @Option(names = "--workers", description = "Concurrent workers and connections (default ${DEFAULT-VALUE}).")
  int workers = 100;

  @Option(names = "--loops", description = "Event loops the crawl is spread over (default: one per core, here ${DEFAULT-VALUE}).")
  int loops = Crawler.defaultLoops();

  @Option(names = "--timeout-ms", description = "Timeout of each GET (default ${DEFAULT-VALUE}).")
  long timeoutMs = 3_000;

  @Option(names = "--max-seconds", description = "Bound on the whole crawl (default ${DEFAULT-VALUE}).")
  long maxSeconds = 600;

  @Option(names = "--warmup", description = "Unmeasured crawls of the same URL first, for benchmarks: a crawler "
    + "running in the lab (crawl.start) is warm after its first crawl (default ${DEFAULT-VALUE}).")
  int warmup = 0;

  @Override
  public Integer call() throws Exception {
    CrawlOptions options;
    try {
      if (loops < 1) {
        throw new IllegalArgumentException("--loops must be at least 1");
      }
      options = new CrawlOptions(CrawlOptions.url(url), maxDepth, workers, Duration.ofMillis(timeoutMs),
        Duration.ofSeconds(maxSeconds), CrawlOptions.hosts(CrawlOptions.allowListSetting()));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    quietNettyAllocatorEvents();
    Vertx vertx = Vertx.vertx();
    try {
      for (int i = 0; i < warmup; i++) {
        Crawler.crawl(vertx, options, loops, progress -> { }).toCompletionStage().toCompletableFuture()
          .get(maxSeconds + 30, TimeUnit.SECONDS);
      }
      ProgressBar bar = ProgressBar.forStdout();
      long cpuStart = ProcessCpu.nanos();
      JsonObject report = Crawler.crawl(vertx, options, loops, progress -> bar.update(progress.pages(), 0,
          progress.pages() / Math.max(progress.seconds(), 1e-3),
          String.format(Locale.ROOT, "queued %d  errors %d", progress.queued(), progress.errors())))
        .toCompletionStage().toCompletableFuture().get(maxSeconds + 30, TimeUnit.SECONDS);
      bar.finish();
      // The peer's cpu_s: the whole process's CPU during the crawl (the JIT's compiler threads included).
      report.put("cpu_s", Math.round((ProcessCpu.nanos() - cpuStart) / 1e6) / 1000.0);
      System.out.printf(Locale.ROOT, "crawled %s to depth %d with %d workers: %d pages, %d links (%d off-site), "
          + "%d errors, %.2f s, %d pages/s%n", report.getString("start"), maxDepth, workers, report.getLong("pages"),
        report.getLong("links"), report.getLong("offsite"), report.getLong("errors"), report.getDouble("seconds"),
        report.getLong("per_s"));
      System.out.println(report.encode());
      return report.getBoolean("complete") ? 0 : 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Netty's buffer allocator emits JFR events; the first chunk it allocates loads the event class, and with it
   * JFR's metadata and annotation machinery: ~100 classes and 0.1-0.5 s of one core in the middle of the first
   * fetches of a one-shot crawl (seen with -Xlog:class+load). This short-lived process records no JFR, so it
   * turns them off before Netty starts, unless {@code -Dio.netty.jfr.enabled} says otherwise.
   */
  private static void quietNettyAllocatorEvents() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }
}
