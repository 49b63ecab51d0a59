package org.concurrencylab.queue.work;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;

import java.time.Duration;

/**
 * A producer's or consumer's handle on a bus work queue, from any node. Each call waits at most its
 * timeout at the broker; the bus request itself gets a second more, so the broker's own 504 (a clear
 * "timed out waiting for room / an item") arrives before the request's.
 */
public final class WorkQueueClient {

  private static final long MARGIN_MS = 1_000;

  private final Vertx vertx;
  private final String queue;

  public WorkQueueClient(Vertx vertx, String queue) {
    this.vertx = vertx;
    this.queue = queue;
  }

  /** Creates the queue with a kind ({@code fifo}, {@code priority}, {@code lifo}) and bound (0 = none). */
  public Future<JsonObject> create(String kind, int capacity) {
    return request(WorkQueueBroker.CREATE, body().put("kind", kind).put("capacity", capacity), 0);
  }

  public Future<Void> put(Object item, int priority, Duration timeout) {
    return request(WorkQueueBroker.PUT, body().put("item", item).put("priority", priority)
      .put("timeout_ms", timeout.toMillis()), timeout.toMillis()).mapEmpty();
  }

  /** Puts several items in one message (each still waits for room in turn). */
  public Future<Void> putAll(JsonArray items, Duration timeout) {
    return request(WorkQueueBroker.PUT, body().put("items", items).put("timeout_ms", timeout.toMillis()),
      timeout.toMillis()).mapEmpty();
  }

  /** The next item, waiting at most {@code timeout}. */
  public Future<Object> take(Duration timeout) {
    return takeUpTo(1, timeout).map(items -> items.getValue(0));
  }

  /** One to {@code max} items, waiting at most {@code timeout} for the first. */
  public Future<JsonArray> takeUpTo(int max, Duration timeout) {
    return request(WorkQueueBroker.TAKE, body().put("max", max).put("timeout_ms", timeout.toMillis()), timeout.toMillis())
      .map(reply -> reply.getJsonArray("items"));
  }

  public Future<Void> done(int count) {
    return request(WorkQueueBroker.DONE, body().put("count", count), 0).mapEmpty();
  }

  public Future<Void> join(Duration timeout) {
    return request(WorkQueueBroker.JOIN, body().put("timeout_ms", timeout.toMillis()), timeout.toMillis()).mapEmpty();
  }

  private JsonObject body() {
    return new JsonObject().put("queue", queue);
  }

  private Future<JsonObject> request(String address, JsonObject body, long waitMs) {
    return Bus.request(vertx, address, body, waitMs + Bus.DEFAULT_TIMEOUT_MS / 5 + MARGIN_MS);
  }
}
