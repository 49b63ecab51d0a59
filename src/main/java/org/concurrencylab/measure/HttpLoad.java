package org.concurrencylab.measure;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * An HTTP load generator: GETs one URL {@code count} times (or until {@code duration}) with at most
 * {@code concurrency} requests in flight over as many kept-alive connections, each request bounded by
 * {@code timeoutMs}. Latencies go to a {@link Latencies}; failures are counted by kind (an HTTP status of
 * 400 or more, {@code timeout}, or the exception's name). Runs on one event loop: the caller's context, or
 * a new one.
 *
 * <p>The book's load tester (7.12-7.15) and the lab's {@code loadtest} command and service are built on it.
 */
public final class HttpLoad {

  /** What to run. {@code count} 0 means "until the duration is over"; {@code durationMs} 0 means no limit. */
  public record Plan(URI url, long count, int concurrency, long durationMs, long timeoutMs) {

    public Plan {
      if (count < 0 || concurrency < 1 || durationMs < 0 || timeoutMs < 1 || (count == 0 && durationMs == 0)) {
        throw new IllegalArgumentException("need a count or a duration, concurrency >= 1 and timeout >= 1 ms");
      }
    }
  }

  /** Where a run is: requests done (answered or failed), failures, rate over the last interval. */
  public record Progress(long done, long total, long errors, double perSecond, long elapsedMs) {

    public JsonObject toJson() {
      return new JsonObject().put("done", done).put("total", total).put("errors", errors)
        .put("perSecond", Math.round(perSecond)).put("elapsedMs", elapsedMs);
    }
  }

  /**
   * A finished run. {@code seconds} and {@code cpuSeconds} cover the same part: from the first request to the
   * last answer, without making or closing the client (as the Python peer's timer). {@code cpuSeconds} is the
   * whole process's CPU time (every thread, the JIT's and the GC's too), so it is the client's own only in a
   * process that does nothing else, as the {@code loadtest} command.
   */
  public record Result(String url, long count, long errors, Map<String, Long> errorsByKind,
                       Map<String, Long> statuses, double seconds, double cpuSeconds, Latencies latencies) {

    public double perSecond() {
      return seconds > 0 ? count / seconds : 0;
    }

    /** {@code {url, count, ok, errors, errorsByKind, statuses, seconds, perSecond, latency: {...}, histogram}}. */
    public JsonObject toJson() {
      return new JsonObject()
        .put("url", url)
        .put("count", count)
        .put("ok", count - errors)
        .put("errors", errors)
        .put("errorsByKind", new JsonObject(new java.util.LinkedHashMap<>(errorsByKind)))
        .put("statuses", new JsonObject(new java.util.LinkedHashMap<>(statuses)))
        .put("seconds", Math.round(seconds * 1000) / 1000.0)
        .put("perSecond", Math.round(perSecond()))
        .put("latency", latencies.summary())
        .put("histogram", latencies.bins(12));
    }
  }

  private final Vertx vertx;
  private final Plan plan;
  private final Consumer<Progress> onProgress;
  private final long progressEveryMs;
  private final Latencies latencies = new Latencies();
  private final Map<String, Long> errorsByKind = new TreeMap<>();
  private final Map<String, Long> statuses = new TreeMap<>();
  private final Promise<Result> finished = Promise.promise();
  private final RequestOptions request;

  private HttpClientAgent client;
  private long started;
  private long cpuAtStart;
  private long deadline;
  private long sent;
  private long done;
  private long errors;
  private int inFlight;
  private long lastDone;
  private long lastTick;
  private long ticker = -1;
  private int depth;
  private boolean stopped;
  private boolean finishing;
  private Context context;

  private HttpLoad(Vertx vertx, Plan plan, Consumer<Progress> onProgress, long progressEveryMs) {
    this.vertx = vertx;
    this.plan = plan;
    this.onProgress = onProgress;
    this.progressEveryMs = progressEveryMs;
    URI url = plan.url();
    boolean tls = "https".equalsIgnoreCase(url.getScheme());
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
    this.request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host)
      .setPort(url.getPort() > 0 ? url.getPort() : tls ? 443 : 80).setSsl(tls)
      .setURI(path + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
  }

  /**
   * Runs the plan. {@code onProgress} (may be null) is called on the run's event loop every
   * {@code progressEveryMs} and once at the end.
   */
  public static Future<Result> run(Vertx vertx, Plan plan, Consumer<Progress> onProgress, long progressEveryMs) {
    return start(vertx, plan, onProgress, progressEveryMs).result();
  }

  /** {@link #run} that returns the running load, which {@link #stop()} can end early. */
  public static HttpLoad start(Vertx vertx, Plan plan, Consumer<Progress> onProgress, long progressEveryMs) {
    Context context = vertx.getOrCreateContext();
    HttpLoad load = new HttpLoad(vertx, plan, onProgress, progressEveryMs);
    load.context = context;
    context.runOnContext(v -> load.start());
    return load;
  }

  /** The outcome, once every request sent has ended. */
  public Future<Result> result() {
    return finished.future();
  }

  /** Sends no more requests; the result comes once those in flight end (each within its timeout). */
  public void stop() {
    context.runOnContext(v -> {
      stopped = true;
      if (client != null && inFlight == 0) {
        finish();
      }
    });
  }

  private void start() {
    client = vertx.httpClientBuilder()
      .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, plan.timeoutMs())))
      .with(new PoolOptions().setHttp1MaxSize(plan.concurrency()))
      .build();
    cpuAtStart = ProcessCpu.nanos();
    started = System.nanoTime();
    lastTick = started;
    deadline = plan.durationMs() > 0 ? started + plan.durationMs() * 1_000_000 : Long.MAX_VALUE;
    if (onProgress != null && progressEveryMs > 0) {
      ticker = vertx.setPeriodic(progressEveryMs, id -> onProgress.accept(progress(System.nanoTime())));
    }
    for (int i = 0; i < plan.concurrency() && more(); i++) {
      send();
    }
    if (inFlight == 0) {
      finish(); // stopped before the first request
    }
  }

  private boolean more() {
    return !stopped && (plan.count() == 0 || sent < plan.count()) && System.nanoTime() < deadline;
  }

  private void send() {
    sent++;
    inFlight++;
    if (depth > 32) {
      // Failures that complete at once (a refused connection can) would otherwise recurse once per request.
      context.runOnContext(v -> new Attempt().fire());
    } else {
      depth++;
      new Attempt().fire();
      depth--;
    }
  }

  /** One request: it ends once, by its answer, its failure or its timer, whichever comes first. */
  private final class Attempt {
    private final long begun = System.nanoTime();
    private long timer = -1;
    private HttpClientRequest sent;
    private boolean over;

    void fire() {
      timer = vertx.setTimer(plan.timeoutMs(), id -> {
        end(-1, "timeout"); // first: the reset below fails the request, which must not count as another kind
        if (sent != null) {
          sent.reset(); // closes the connection: the server sees the request given up
        }
      });
      client.request(request)
        .compose(req -> {
          sent = req;
          req.exceptionHandler(ignored -> { }); // failures arrive through the Futures below
          return req.send();
        })
        .compose(response -> response.body().map(body -> response.statusCode()))
        .onComplete(status -> end(status, status >= 400 ? "HTTP " + status : null),
          failure -> end(-1, failure.getClass().getSimpleName()));
    }

    private void end(int status, String error) {
      if (over) {
        return;
      }
      over = true;
      vertx.cancelTimer(timer);
      completed(begun, status, error);
    }
  }

  private void completed(long begun, int status, String error) {
    inFlight--;
    done++;
    if (status > 0) {
      latencies.recordSince(begun);
      statuses.merge(String.valueOf(status), 1L, Long::sum);
    }
    if (error != null) {
      errors++;
      errorsByKind.merge(error, 1L, Long::sum);
    }
    if (more()) {
      send();
    } else if (inFlight == 0) {
      finish();
    }
  }

  private Progress progress(long now) {
    double interval = (now - lastTick) / 1e9;
    double rate = interval > 0 ? (done - lastDone) / interval : 0;
    lastDone = done;
    lastTick = now;
    return new Progress(done, plan.count(), errors, rate, (now - started) / 1_000_000);
  }

  private void finish() {
    if (finishing) {
      return;
    }
    finishing = true;
    long now = System.nanoTime();
    double cpuSeconds = (ProcessCpu.nanos() - cpuAtStart) / 1e9;
    if (ticker >= 0) {
      vertx.cancelTimer(ticker);
    }
    double seconds = (now - started) / 1e9;
    if (onProgress != null) {
      onProgress.accept(new Progress(done, plan.count(), errors, seconds > 0 ? done / seconds : 0,
        (now - started) / 1_000_000));
    }
    Result result = new Result(plan.url().toString(), done, errors, errorsByKind, statuses, seconds, cpuSeconds,
      latencies);
    // The result waits for the pool to close: a next run on this Vert.x (loadtest's timed run after its warm-up
    // rounds) would otherwise pay for closing these connections inside its own timed part.
    client.close().onComplete(closed -> finished.complete(result));
  }

}
