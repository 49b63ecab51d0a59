package org.concurrencylab.queue.crawl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.concurrencylab.queue.AsyncQueue;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One crawl (the book's 12.4, with the peer's deduplication): {@code workers} tasks take {@code (url, depth)}
 * from an {@link AsyncQueue}, GET the page with a timeout and, below the maximum depth, queue its
 * {@code <a href>} links on the start URL's host and port with depth + 1. A URL already queued is skipped,
 * unless found again by a shorter path: it is queued again at the smaller depth and the deeper entry is
 * dropped when taken, so exactly the pages within the depth are fetched, whatever the timing. The crawl ends
 * when the queue's {@code join} does.
 *
 * <p>Everything runs on one event-loop context, so the crawl's state needs no locks (as the book's single
 * asyncio loop); the fetches themselves overlap.
 */
public final class Crawler {

  private static final Logger log = LoggerFactory.getLogger(Crawler.class);
  private static final int MAX_LOGGED_ERRORS = 10;

  /** What the progress line shows. */
  public record Progress(long pages, long queued, long errors, double seconds) {
  }

  private record Item(String url, int depth) {
  }

  private static final Item STOP = new Item("", -1);

  private final Vertx vertx;
  private final CrawlOptions options;
  private final String startUrl;
  private final String site;
  private final WebClient client;
  private final AsyncQueue<Item> queue;
  private final Map<String, Integer> depthOf = new HashMap<>();
  private final Set<String> fetched = new HashSet<>();
  private final Map<String, Integer> errorKinds = new TreeMap<>();
  private long requests;
  private long refetches;
  private long links;
  private long offsite;
  private long errors;

  private Crawler(Vertx vertx, CrawlOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.startUrl = withoutFragment(options.start().toString());
    this.site = siteOf(options.start());
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout((int) options.fetchTimeout().toMillis()).setUserAgent("concurrency-lab-crawler"),
      new PoolOptions().setHttp1MaxSize(options.workers()));
    this.queue = AsyncQueue.fifo(vertx, 0);
  }

  /** Runs a crawl; completes with its report (JSON, the fields of the Python peer's). */
  public static Future<JsonObject> crawl(Vertx vertx, CrawlOptions options, Consumer<Progress> progress) {
    Context context = vertx.getOrCreateContext();
    Promise<JsonObject> report = Promise.promise();
    context.runOnContext(v -> new Crawler(vertx, options).run(progress).onComplete(report));
    return report.future();
  }

  private Future<JsonObject> run(Consumer<Progress> progress) {
    long started = System.nanoTime();
    long ticker = vertx.setPeriodic(1_000, id -> progress.accept(
      new Progress(fetched.size(), queue.size(), errors, (System.nanoTime() - started) / 1e9)));
    enqueue(startUrl, 0);
    for (int i = 0; i < options.workers(); i++) {
      work();
    }
    return queue.join(options.maxDuration()).transform(joined -> {
      vertx.cancelTimer(ticker);
      for (int i = 0; i < options.workers(); i++) {
        queue.offer(STOP);
      }
      client.close();
      double seconds = (System.nanoTime() - started) / 1e9;
      progress.accept(new Progress(fetched.size(), queue.size(), errors, seconds));
      JsonObject report = report(seconds).put("complete", joined.succeeded());
      return Future.succeededFuture(report);
    });
  }

  private void enqueue(String url, int depth) {
    if (depth < depthOf.getOrDefault(url, options.maxDepth() + 1)) {
      depthOf.put(url, depth);
      queue.offer(new Item(url, depth));
    }
  }

  /** One worker: take, fetch, repeat; a new step per item, so no stack grows. */
  private void work() {
    queue.take(options.maxDuration()).onComplete(taken -> {
      if (taken.failed() || taken.result() == STOP) {
        return;
      }
      Item item = taken.result();
      Future<Void> done = item.depth() == depthOf.get(item.url()) ? process(item) // else queued again, nearer
        : Future.succeededFuture();
      done.onComplete(v -> {
        queue.taskDone();
        work();
      });
    });
  }

  private Future<Void> process(Item item) {
    requests++;
    return client.getAbs(item.url()).timeout(options.fetchTimeout().toMillis()).send()
      .transform(result -> {
        if (result.failed()) {
          error(item.url(), result.cause().getClass().getSimpleName());
          return Future.succeededFuture();
        }
        HttpResponse<io.vertx.core.buffer.Buffer> response = result.result();
        if (response.statusCode() != 200) {
          error(item.url(), String.valueOf(response.statusCode()));
          return Future.succeededFuture();
        }
        if (!fetched.add(item.url())) {
          refetches++;
        }
        if (item.depth() < options.maxDepth() && response.body() != null) {
          List<String> redirects = response.followedRedirects();
          String base = redirects.isEmpty() ? item.url() : redirects.get(redirects.size() - 1);
          follow(response.bodyAsString(), base, item.depth());
        }
        return Future.succeededFuture();
      });
  }

  /** Queues the page's links that stay on the start site; counts every link and the ones that leave. */
  private void follow(String html, String base, int depth) {
    for (Element anchor : Jsoup.parse(html, base).select("a[href]")) {
      if (anchor.attr("href").isEmpty()) {
        continue;
      }
      links++;
      String child = withoutFragment(anchor.absUrl("href"));
      if (!child.isEmpty() && site.equals(siteOf(child))) {
        enqueue(child, depth + 1);
      } else {
        offsite++;
      }
    }
  }

  private void error(String url, String kind) {
    errors++;
    errorKinds.merge(kind, 1, Integer::sum);
    if (errors <= MAX_LOGGED_ERRORS) {
      log.warn("{}: {}", url, kind);
    }
    if (errors == MAX_LOGGED_ERRORS) {
      log.warn("further errors are counted, not logged");
    }
  }

  private JsonObject report(double seconds) {
    return new JsonObject()
      .put("start", startUrl)
      .put("max_depth", options.maxDepth())
      .put("workers", options.workers())
      .put("pages", fetched.size())
      .put("requests", requests)
      .put("refetches", refetches)
      .put("links", links)
      .put("offsite", offsite)
      .put("errors", errors)
      .put("error_kinds", new JsonObject(new TreeMap<>(errorKinds)))
      .put("seconds", Math.round(seconds * 1000) / 1000.0)
      .put("per_s", Math.round(fetched.size() / Math.max(seconds, 1e-9)));
  }

  private static String withoutFragment(String url) {
    int hash = url.indexOf('#');
    return hash < 0 ? url : url.substring(0, hash);
  }

  /** {@code scheme://host:port} of an http(s) URL, or "" for anything else. */
  static String siteOf(String url) {
    try {
      return siteOf(new URI(url));
    } catch (Exception e) {
      return "";
    }
  }

  private static String siteOf(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return "";
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("http") ? 80 : 443;
    return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }
}
