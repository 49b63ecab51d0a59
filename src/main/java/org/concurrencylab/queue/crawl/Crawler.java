package org.concurrencylab.queue.crawl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.queue.AsyncQueue;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
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
 * asyncio loop); the fetches themselves overlap. The fetches use the core {@link HttpClient} (keep-alive, one
 * pooled connection per worker, as the peer's one ClientSession limited to the workers), and the common link,
 * a same-site {@code /path}, is resolved by concatenation (see {@link LinkResolver}): the client's and the
 * resolver's per-page CPU is most of a warm crawl's.
 */
public final class Crawler {

  private static final Logger log = LoggerFactory.getLogger(Crawler.class);
  private static final int MAX_LOGGED_ERRORS = 10;
  private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("concurrency-lab-crawler");
  /** How often the in-flight fetches are checked against their deadline: one timer per crawl, none per page. */
  private static final long SWEEP_MS = 100;

  /** What the progress line shows. */
  public record Progress(long pages, long queued, long errors, double seconds) {
  }

  private record Item(String url, int depth) {
  }

  private static final Item STOP = new Item("", -1);

  /** A worker's fetch in flight: the deadline sweep resets its request when its time is up. */
  private static final class Fetch {
    final long deadline;
    HttpClientRequest request;
    boolean timedOut;

    Fetch(long deadline) {
      this.deadline = deadline;
    }
  }

  private final Vertx vertx;
  private final CrawlOptions options;
  private final String startUrl;
  private final String site;
  private final URI start;
  private final boolean ssl;
  private final int port;
  private final LinkResolver links;
  private final HttpClient client;
  private final AsyncQueue<Item> queue;
  private final Fetch[] inFlight;
  private final Map<String, Integer> depthOf = new HashMap<>();
  private final Set<String> fetched = new HashSet<>();
  private final Map<String, Integer> errorKinds = new TreeMap<>();
  private long requests;
  private long refetches;
  private long linkCount;
  private long offsite;
  private long errors;

  private Crawler(Vertx vertx, CrawlOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.startUrl = withoutFragment(options.start().toString());
    this.site = siteOf(options.start());
    this.start = options.start();
    this.ssl = "https".equalsIgnoreCase(start.getScheme());
    this.port = start.getPort() >= 0 ? start.getPort() : ssl ? 443 : 80;
    this.links = new LinkResolver(startUrl, site);
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout((int) options.fetchTimeout().toMillis()),
      new PoolOptions().setHttp1MaxSize(options.workers()));
    this.queue = AsyncQueue.fifo(vertx, 0);
    this.inFlight = new Fetch[options.workers()];
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
    long sweeper = vertx.setPeriodic(SWEEP_MS, id -> expireFetches());
    enqueue(startUrl, 0);
    for (int slot = 0; slot < options.workers(); slot++) {
      work(slot);
    }
    return queue.join(options.maxDuration()).transform(joined -> {
      vertx.cancelTimer(ticker);
      vertx.cancelTimer(sweeper);
      for (int i = 0; i < options.workers(); i++) {
        queue.offer(STOP);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      progress.accept(new Progress(fetched.size(), queue.size(), errors, seconds));
      JsonObject report = report(seconds).put("complete", joined.succeeded());
      return client.close().transform(closed -> Future.succeededFuture(report));
    });
  }

  private void enqueue(String url, int depth) {
    if (depth < depthOf.getOrDefault(url, options.maxDepth() + 1)) {
      depthOf.put(url, depth);
      queue.offer(new Item(url, depth));
    }
  }

  /**
   * Worker {@code slot}: takes items until one needs a fetch, whose end calls this again. A loop rather than a
   * call per item, so that a run of dropped (re-queued nearer) items does not grow the stack.
   */
  private void work(int slot) {
    Item item;
    while ((item = queue.poll()) != null) {
      if (item == STOP || fetchOrDrop(slot, item)) {
        return;
      }
    }
    queue.take(options.maxDuration()).onSuccess(taken -> {
      if (taken != STOP && !fetchOrDrop(slot, taken)) {
        work(slot);
      }
    });
  }

  /** Starts the item's fetch (true), or marks it done when it was queued again nearer the start (false). */
  private boolean fetchOrDrop(int slot, Item item) {
    if (item.depth() != depthOf.get(item.url())) {
      queue.taskDone();
      return false;
    }
    requests++;
    Fetch fetch = new Fetch(System.nanoTime() + options.fetchTimeout().toNanos());
    inFlight[slot] = fetch;
    client.request(requestFor(item.url()))
      .compose(request -> {
        fetch.request = request;
        if (fetch.timedOut) {
          request.reset(0, new TimeoutException());
        }
        return request.putHeader(HttpHeaders.USER_AGENT, USER_AGENT).send();
      })
      .compose(response -> read(response, item, fetch))
      .onComplete(done -> {
        inFlight[slot] = null;
        if (done.failed()) {
          error(item.url(), fetch.timedOut ? "TimeoutException" : done.cause().getClass().getSimpleName());
        }
        queue.taskDone();
        work(slot);
      });
    return true;
  }

  /** A URL of the start's origin goes by host, port and path (no URL to parse); any other by absolute URI. */
  private RequestOptions requestFor(String url) {
    RequestOptions request = new RequestOptions().setFollowRedirects(true);
    String path = links.pathOnStartOrigin(url);
    return path != null ? request.setHost(start.getHost()).setPort(port).setSsl(ssl).setURI(path)
      : request.setAbsoluteURI(url);
  }

  private Future<Void> read(HttpClientResponse response, Item item, Fetch fetch) {
    if (response.statusCode() != 200) {
      return response.end().onSuccess(v -> error(item.url(), String.valueOf(response.statusCode())));
    }
    if (item.depth() >= options.maxDepth()) { // fetched, not parsed: its links would be beyond the depth
      return response.end().onSuccess(v -> fetchedPage(item.url()));
    }
    return response.body().map(body -> {
      fetchedPage(item.url());
      HttpClientRequest last = response.request(); // another one when redirects were followed
      String base = last == fetch.request ? item.url() : last.absoluteURI();
      follow(body.toString(charsetOf(response.headers())), base, item.depth());
      return null;
    });
  }

  private void fetchedPage(String url) {
    if (!fetched.add(url)) {
      refetches++;
    }
  }

  /** Queues the page's links that stay on the start site; counts every link and the ones that leave. */
  private void follow(String html, String base, int depth) {
    Document page = Jsoup.parse(html, base);
    String pageBase = page.baseUri(); // base, or the page's own <base href>
    for (Element anchor : page.getElementsByTag("a")) {
      String href = anchor.attr("href");
      if (href.isEmpty()) {
        continue;
      }
      linkCount++;
      String child = links.sameSite(pageBase, href, anchor);
      if (child != null) {
        enqueue(child, depth + 1);
      } else {
        offsite++;
      }
    }
  }

  /** Resets the fetches past their deadline: the peer's total timeout per GET, from one periodic timer. */
  private void expireFetches() {
    long now = System.nanoTime();
    for (Fetch fetch : inFlight) {
      if (fetch != null && !fetch.timedOut && now - fetch.deadline >= 0) {
        fetch.timedOut = true;
        if (fetch.request != null) {
          fetch.request.reset(0, new TimeoutException());
        }
      }
    }
  }

  private static Charset charsetOf(MultiMap headers) {
    String type = headers.get(HttpHeaders.CONTENT_TYPE);
    int at = type == null ? -1 : type.toLowerCase(Locale.ROOT).indexOf("charset=");
    if (at < 0) {
      return StandardCharsets.UTF_8;
    }
    String name = type.substring(at + 8).split(";", 2)[0].trim().replace("\"", "");
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
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
      .put("links", linkCount)
      .put("offsite", offsite)
      .put("errors", errors)
      .put("error_kinds", new JsonObject(new TreeMap<>(errorKinds)))
      .put("seconds", Math.round(seconds * 1000) / 1000.0)
      .put("per_s", Math.round(fetched.size() / Math.max(seconds, 1e-9)));
  }

  static String withoutFragment(String url) {
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
