package org.concurrencylab.basics;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.basics.task.CancellableTask;
import org.concurrencylab.basics.task.Tasks;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The event-loop side of {@code basics}: {@code basics.delay} (a timer, no thread waits) and
 * {@code basics.count} (the counting loop on a worker thread, stopped at its deadline so that a caller who
 * gave up leaves no work behind), and {@code basics.status}.
 */
final class BasicsVerticle extends VerticleBase {

  /** The longest delay a request may ask for. */
  static final long MAX_DELAY_MS = 60_000;
  /** The longest a count may run before it is stopped. */
  static final long MAX_COUNT_TIMEOUT_MS = 60_000;
  /** The largest count: minutes of CPU, which the deadline cuts short anyway. */
  static final long MAX_COUNT = 1_000_000_000_000L;

  private final BasicsStats stats;

  BasicsVerticle(BasicsStats stats) {
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    String node = config().getString("node_name", "");
    JsonArray endpoints = new JsonArray()
      .add(ServiceStatus.endpoint("bus", BasicsModule.FIB))
      .add(ServiceStatus.endpoint("bus", BasicsModule.COUNT))
      .add(ServiceStatus.endpoint("bus", BasicsModule.DELAY));
    return Future.all(
      Bus.serve(vertx, BasicsModule.DELAY, this::delay),
      Bus.serve(vertx, BasicsModule.COUNT, this::count),
      ServiceStatus.serve(vertx, BasicsModule.NAME, node, endpoints, stats::json));
  }

  private Future<JsonObject> delay(Message<Object> request) {
    long millis = Requests.integer(Bus.jsonBody(request), "ms", 0, MAX_DELAY_MS);
    long start = System.nanoTime();
    return vertx.timer(millis).map(fired -> {
      stats.delays.incrementAndGet();
      return new JsonObject().put("ms", millis).put("slept_ms", (System.nanoTime() - start) / 1_000_000);
    });
  }

  private Future<JsonObject> count(Message<Object> request) {
    JsonObject body = Bus.jsonBody(request);
    long n = Requests.integer(body, "n", 0, MAX_COUNT);
    long defaultTimeout = config().getLong("request_timeout_ms", Bus.DEFAULT_TIMEOUT_MS);
    long timeout = Requests.integer(body, "timeout_ms", 1, MAX_COUNT_TIMEOUT_MS, defaultTimeout);
    CountingLoop loop = new CountingLoop(n);
    long start = System.nanoTime();
    stats.running.incrementAndGet();
    CancellableTask<Long> counting = Tasks.onWorker(vertx, loop::run);
    return counting.waitFor(timeout, TimeUnit.MILLISECONDS)
      .eventually(() -> {
        stats.running.decrementAndGet();
        return Future.succeededFuture();
      })
      .map(counted -> {
        stats.counts.incrementAndGet();
        return new JsonObject().put("n", n).put("counted", counted)
          .put("ms", (System.nanoTime() - start) / 1_000_000);
      })
      .recover(failure -> {
        if (failure instanceof TimeoutException) {
          stats.countsStopped.incrementAndGet();
          return Future.failedFuture(Failure.TIMEOUT.exception(String.format(java.util.Locale.ROOT,
            "stopped counting to %d after %d ms, at %d", n, timeout, loop.counted())));
        }
        return Future.failedFuture(failure);
      });
  }
}
