package org.concurrencylab.queue.crawl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One crawl (the book's 12.4, with the peer's deduplication): {@code workers} tasks take {@code (url, depth)}
 * from an {@link AsyncQueue}, GET the page with a timeout and, below the maximum depth, queue its
 * {@code <a href>} links on the start URL's host and port with depth + 1. A URL already queued is skipped,
 * unless found again by a shorter path: it is queued again at the smaller depth and the deeper entry is
 * dropped when taken, so exactly the pages within the depth are fetched, whatever the timing. The crawl ends
 * when every queued URL is done.
 *
 * <p>The work is spread over {@code loops} event loops, one {@link Shard} verticle each, and split by URL:
 * a URL belongs to one shard (by its hash), which alone queues, dedups, fetches and counts it, so each
 * shard's state is its own event loop's and needs no locks (as the book's single asyncio loop). A page's
 * links for another shard go there in one batch per page ({@code runOnContext}). One atomic count of the
 * URLs queued and the batches in transit, anywhere, tells when the crawl is done. The fetches use the core
 * {@link HttpClient}, one per shard (keep-alive, one pooled connection per worker, as the peer's one
 * ClientSession limited to the workers), and the common link, a same-site {@code /path}, is resolved by
 * concatenation (see {@link LinkResolver}): the client's per-page CPU is most of a warm crawl's, and one
 * event loop was the limit of a warm crawl (one core busy, the other mostly idle).
 */
public final class Crawler {

  private static final Logger log = LoggerFactory.getLogger(Crawler.class);
  private static final int MAX_LOGGED_ERRORS = 10;
  private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("concurrency-lab-crawler");
  /** How often the in-flight fetches are checked against their deadline: one timer per shard, none per page. */
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

  /** A shard's counts, taken on its event loop when it stops. */
  private record Counts(long pages, long requests, long refetches, long links, long offsite, long errors,
                        Map<String, Integer> errorKinds) {
  }

  private final Vertx vertx;
  private final CrawlOptions options;
  private final String startUrl;
  private final URI start;
  private final boolean ssl;
  private final int port;
  private final LinkResolver links;
  private final Shard[] shards;
  /** URLs queued and link batches in transit, in every shard, not yet done: the crawl is over at zero. */
  private final AtomicLong pending = new AtomicLong();
  private final Promise<Void> drained = Promise.promise();
  /** For the progress line only (the report counts per shard). */
  private final AtomicLong pagesSoFar = new AtomicLong();
  private final AtomicLong errorsSoFar = new AtomicLong();

  private Crawler(Vertx vertx, CrawlOptions options, int loops) {
    this.vertx = vertx;
    this.options = options;
    this.startUrl = withoutFragment(options.start().toString());
    this.start = options.start();
    this.ssl = "https".equalsIgnoreCase(start.getScheme());
    this.port = start.getPort() >= 0 ? start.getPort() : ssl ? 443 : 80;
    this.links = new LinkResolver(startUrl, siteOf(options.start()));
    int count = Math.max(1, Math.min(loops, options.workers()));
    this.shards = new Shard[count];
    for (int i = 0; i < count; i++) { // the workers split as evenly as they go
      shards[i] = new Shard(i, options.workers() / count + (i < options.workers() % count ? 1 : 0));
    }
  }

  /** The event loops a crawl uses unless told: one per core, as many as the lab's event loops can run at once. */
  public static int defaultLoops() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** Runs a crawl on {@link #defaultLoops()} event loops; completes with its report (the Python peer's fields). */
  public static Future<JsonObject> crawl(Vertx vertx, CrawlOptions options, Consumer<Progress> progress) {
    return crawl(vertx, options, defaultLoops(), progress);
  }

  /** Runs a crawl on {@code loops} event loops (at most one per worker); completes on the caller's context. */
  public static Future<JsonObject> crawl(Vertx vertx, CrawlOptions options, int loops, Consumer<Progress> progress) {
    Context caller = vertx.getOrCreateContext();
    Promise<JsonObject> report = Promise.promise();
    caller.runOnContext(v -> new Crawler(vertx, options, loops).run(progress)
      .onComplete(done -> caller.runOnContext(w -> report.handle(done))));
    return report.future();
  }

  private Future<JsonObject> run(Consumer<Progress> progress) {
    List<Future<String>> deployments = new ArrayList<>();
    for (Shard shard : shards) {
      deployments.add(vertx.deployVerticle(shard)); // each deployment gets the next event loop
    }
    return Future.all(deployments).compose(deployed -> {
      long started = System.nanoTime();
      long ticker = vertx.setPeriodic(1_000, id -> progress.accept(
        new Progress(pagesSoFar.get(), pending.get(), errorsSoFar.get(), (System.nanoTime() - started) / 1e9)));
      long deadline = vertx.setTimer(options.maxDuration().toMillis(),
        id -> drained.tryFail(new TimeoutException("crawl still running after " + options.maxDuration())));
      send(ownerOf(startUrl), List.of(startUrl), 0);
      return drained.future().transform(finished -> {
        double seconds = (System.nanoTime() - started) / 1e9;
        vertx.cancelTimer(ticker);
        vertx.cancelTimer(deadline);
        List<Future<Void>> stopped = new ArrayList<>();
        for (Future<String> deployment : deployments) {
          stopped.add(vertx.undeploy(deployment.result()));
        }
        return Future.join(stopped).transform(undeployed -> {
          JsonObject report = report(seconds).put("complete", finished.succeeded());
          progress.accept(new Progress(report.getLong("pages"), pending.get(), report.getLong("errors"), seconds));
          return Future.succeededFuture(report);
        });
      });
    });
  }

  private int ownerOf(String url) {
    return Math.floorMod(url.hashCode(), shards.length);
  }

  /** Hands URLs found at {@code depth} to their shard, on its event loop; counted pending until handled there. */
  private void send(int owner, List<String> urls, int depth) {
    pending.incrementAndGet();
    Shard shard = shards[owner];
    shard.context().runOnContext(v -> {
      for (String url : urls) {
        shard.enqueue(url, depth);
      }
      done();
    });
  }

  /** One queued URL or batch fewer; the last one ends the crawl. */
  private void done() {
    if (pending.decrementAndGet() == 0) {
      drained.tryComplete();
    }
  }

  /**
   * The crawl's part on one event loop: the URLs whose hash is its index, its workers, its HTTP client.
   * Everything in it runs on its own context.
   */
  private final class Shard extends VerticleBase {
    private final int index;
    private final int workers;
    private final Map<String, Integer> depthOf = new HashMap<>();
    private final Set<String> fetched = new HashSet<>();
    private final Map<String, Integer> errorKinds = new TreeMap<>();
    private HttpClient client;
    private AsyncQueue<Item> queue;
    private Fetch[] inFlight;
    private long sweeper;
    private long requests;
    private long refetches;
    private long linkCount;
    private long offsite;
    private long errors;
    private Counts counts;

    Shard(int index, int workers) {
      this.index = index;
      this.workers = workers;
    }

    Context context() {
      return context;
    }

    @Override
    public Future<?> start() {
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
          .setConnectTimeout((int) options.fetchTimeout().toMillis()),
        new PoolOptions().setHttp1MaxSize(workers));
      queue = AsyncQueue.fifo(vertx, 0);
      inFlight = new Fetch[workers];
      sweeper = vertx.setPeriodic(SWEEP_MS, id -> expireFetches());
      for (int slot = 0; slot < workers; slot++) {
        work(slot); // waits for the first URL
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
      counts = new Counts(fetched.size(), requests, refetches, linkCount, offsite, errors, new TreeMap<>(errorKinds));
      vertx.cancelTimer(sweeper);
      for (int i = 0; i < workers; i++) {
        queue.offer(STOP);
      }
      return client.close();
    }

    void enqueue(String url, int depth) {
      if (depth < depthOf.getOrDefault(url, options.maxDepth() + 1)) {
        depthOf.put(url, depth);
        pending.incrementAndGet();
        queue.offer(new Item(url, depth));
      }
    }

    /**
     * Worker {@code slot}: takes items until one needs a fetch, whose end calls this again. A loop rather than
     * a call per item, so that a run of dropped (re-queued nearer) items does not grow the stack.
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
        done();
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
        .onComplete(read -> {
          inFlight[slot] = null;
          if (read.failed()) {
            error(item.url(), fetch.timedOut ? "TimeoutException" : read.cause().getClass().getSimpleName());
          }
          done(); // after the page's links were queued or sent
          work(slot);
        });
      return true;
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
      pagesSoFar.incrementAndGet();
    }

    /** Queues the page's links that stay on the start site (or sends them to their shard); counts every link. */
    @SuppressWarnings("unchecked")
    private void follow(String html, String base, int depth) {
      Document page = Jsoup.parse(html, base);
      String pageBase = page.baseUri(); // base, or the page's own <base href>
      List<String>[] elsewhere = new List[shards.length];
      for (Element anchor : page.getElementsByTag("a")) {
        String href = anchor.attr("href");
        if (href.isEmpty()) {
          continue;
        }
        linkCount++;
        String child = links.sameSite(pageBase, href, anchor);
        if (child == null) {
          offsite++;
          continue;
        }
        int owner = ownerOf(child);
        if (owner == index) {
          enqueue(child, depth + 1);
        } else {
          (elsewhere[owner] == null ? elsewhere[owner] = new ArrayList<>() : elsewhere[owner]).add(child);
        }
      }
      for (int owner = 0; owner < elsewhere.length; owner++) {
        if (elsewhere[owner] != null) {
          send(owner, elsewhere[owner], depth + 1);
        }
      }
    }

    /** A URL of the start's origin goes by host, port and path (no URL to parse); any other by absolute URI. */
    private RequestOptions requestFor(String url) {
      RequestOptions request = new RequestOptions().setFollowRedirects(true);
      String path = links.pathOnStartOrigin(url);
      return path != null ? request.setHost(start.getHost()).setPort(port).setSsl(ssl).setURI(path)
        : request.setAbsoluteURI(url);
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

    private void error(String url, String kind) {
      errors++;
      errorKinds.merge(kind, 1, Integer::sum);
      long all = errorsSoFar.incrementAndGet();
      if (all <= MAX_LOGGED_ERRORS) {
        log.warn("{}: {}", url, kind);
      }
      if (all == MAX_LOGGED_ERRORS) {
        log.warn("further errors are counted, not logged");
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

  /** The shards' counts added up (read after they stopped: the undeployments order them before this). */
  private JsonObject report(double seconds) {
    long pages = 0;
    long requests = 0;
    long refetches = 0;
    long linkCount = 0;
    long offsite = 0;
    long errors = 0;
    Map<String, Integer> errorKinds = new TreeMap<>();
    for (Shard shard : shards) {
      Counts counts = shard.counts;
      pages += counts.pages();
      requests += counts.requests();
      refetches += counts.refetches();
      linkCount += counts.links();
      offsite += counts.offsite();
      errors += counts.errors();
      counts.errorKinds().forEach((kind, n) -> errorKinds.merge(kind, n, Integer::sum));
    }
    return new JsonObject()
      .put("start", startUrl)
      .put("max_depth", options.maxDepth())
      .put("workers", options.workers())
      .put("loops", shards.length)
      .put("pages", pages)
      .put("requests", requests)
      .put("refetches", refetches)
      .put("links", linkCount)
      .put("offsite", offsite)
      .put("errors", errors)
      .put("error_kinds", new JsonObject(new TreeMap<String, Object>(errorKinds)))
      .put("seconds", Math.round(seconds * 1000) / 1000.0)
      .put("per_s", Math.round(pages / Math.max(seconds, 1e-9)));
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
