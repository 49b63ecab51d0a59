package org.concurrencylab.queue.work;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.queue.AsyncQueue;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named {@link AsyncQueue}s served on the bus ({@code queue.work.*}, see docs/bus.md). A put that finds the
 * queue full is answered when there is room, a take that finds it empty when an item comes, each within the
 * request's {@code timeout_ms} (then 504), so producers and consumers on any node wait without polling.
 * A queue is made by {@code queue.work.create} or, FIFO and unbounded, by its first use.
 *
 * <p>Delivery is at most once: an item is gone from the queue once its take is answered, so an item whose
 * consumer dies before {@code queue.work.done} is not given to another one.
 */
public final class WorkQueueBroker extends VerticleBase {

  public static final String CREATE = "queue.work.create";
  public static final String PUT = "queue.work.put";
  public static final String TAKE = "queue.work.take";
  public static final String DONE = "queue.work.done";
  public static final String JOIN = "queue.work.join";

  /** The longest wait a request may ask for; clients give the bus request a little longer. */
  public static final long MAX_WAIT_MS = 60_000;
  static final int MAX_BATCH = 10_000;
  /** Queues are made on first use: a bound, so that a client naming new queues cannot exhaust memory. */
  static final int MAX_QUEUES = 1_000;

  /** An item and its priority in a priority queue; FIFO and LIFO queues hold the items themselves. */
  private record Work(int priority, Object item) {
  }

  private final Map<String, AsyncQueue<Object>> queues = new ConcurrentHashMap<>();

  @Override
  public Future<?> start() {
    return Future.all(List.of(
      Bus.<Object>serve(vertx, CREATE, this::create),
      Bus.<Object>serve(vertx, PUT, this::put),
      Bus.<Object>serve(vertx, TAKE, this::take),
      Bus.<Object>serve(vertx, DONE, this::done),
      Bus.<Object>serve(vertx, JOIN, this::join)));
  }

  /** {@code {queue: size}} for the service status. */
  public JsonObject sizes() {
    JsonObject sizes = new JsonObject();
    queues.forEach((name, queue) -> sizes.put(name, queue.size()));
    return sizes;
  }

  private Future<JsonObject> create(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    String name = name(body);
    AsyncQueue.Kind kind;
    try {
      kind = AsyncQueue.Kind.valueOf(body.getString("kind", "fifo").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw Failure.BAD_REQUEST.exception("kind must be fifo, priority or lifo");
    }
    int capacity = integer(body, "capacity", 0);
    if (!queues.containsKey(name)) {
      checkRoomForAnotherQueue();
    }
    AsyncQueue<Object> created = queues.computeIfAbsent(name, n -> newQueue(kind, capacity));
    if (created.kind() != kind || created.capacity() != capacity) {
      throw Failure.CONFLICT.exception("queue " + name + " exists as " + created.kind().name().toLowerCase(Locale.ROOT)
        + " with capacity " + created.capacity());
    }
    return Future.succeededFuture(describe(name, created));
  }

  private Future<JsonObject> put(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    String name = name(body);
    int priority = integer(body, "priority", 0);
    List<Object> items;
    if (body.containsKey("items")) {
      JsonArray batch = body.getValue("items") instanceof JsonArray array ? array : null;
      if (batch == null || batch.size() > MAX_BATCH) {
        throw Failure.BAD_REQUEST.exception("items must be an array of at most " + MAX_BATCH + " items");
      }
      items = itemsOf(batch);
    } else if (body.containsKey("item")) {
      items = Collections.singletonList(body.getValue("item"));
    } else {
      throw Failure.BAD_REQUEST.exception("a put needs an item (or items)");
    }
    AsyncQueue<Object> queue = queue(name);
    long deadline = System.nanoTime() + waitOf(body).toNanos();
    Promise<JsonObject> queued = Promise.promise();
    putFrom(queue, items, 0, priority, deadline, queued);
    return queued.future();
  }

  /** The items of a batch as JsonArray.getValue gives them (objects and arrays as Json*), without a copy. */
  private static List<Object> itemsOf(JsonArray batch) {
    return new AbstractList<>() {
      @Override
      public Object get(int index) {
        return batch.getValue(index);
      }

      @Override
      public int size() {
        return batch.size();
      }
    };
  }

  /**
   * Puts items from {@code next} on: at once while there is room, then one wait for room at a time. A loop
   * and a callback per wait, not a chain of compose() as long as the batch, whose completion would recurse
   * once per item.
   */
  private static void putFrom(AsyncQueue<Object> queue, List<Object> items, int next, int priority, long deadline,
                              Promise<JsonObject> queued) {
    int index = next;
    while (index < items.size() && queue.offer(wrap(queue, priority, items.get(index)))) {
      index++;
    }
    if (index == items.size()) {
      queued.complete(new JsonObject().put("queued", items.size()).put("size", queue.size()));
      return;
    }
    int waiting = index;
    queue.put(wrap(queue, priority, items.get(waiting)), Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())))
      .onComplete(put -> {
        if (put.failed()) {
          queued.fail(put.cause());
        } else {
          putFrom(queue, items, waiting + 1, priority, deadline, queued);
        }
      });
  }

  private Future<JsonObject> take(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    AsyncQueue<Object> queue = queue(name(body));
    int max = integer(body, "max", 1);
    if (max < 1 || max > MAX_BATCH) {
      throw Failure.BAD_REQUEST.exception("max must be 1 to " + MAX_BATCH);
    }
    return queue.take(waitOf(body)).map(first -> {
      JsonArray items = new JsonArray(new ArrayList<>(Math.min(max, queue.size() + 1))).add(unwrap(first));
      for (Object next = items.size() < max ? queue.poll() : null; next != null;
           next = items.size() < max ? queue.poll() : null) {
        items.add(unwrap(next));
      }
      return new JsonObject().put("items", items);
    });
  }

  /**
   * What a queue holds for an item: a priority queue the item with its priority, the others the item itself
   * (a JSON null wrapped too: a queue cannot hold null).
   */
  private static Object wrap(AsyncQueue<Object> queue, int priority, Object item) {
    return queue.kind() == AsyncQueue.Kind.PRIORITY || item == null ? new Work(priority, item) : item;
  }

  private static Object unwrap(Object held) {
    return held instanceof Work work ? work.item() : held;
  }

  private Future<JsonObject> done(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    AsyncQueue<Object> queue = queue(name(body));
    int count = integer(body, "count", 1);
    if (count < 1 || count > queue.unfinished()) {
      throw Failure.CONFLICT.exception("done(" + count + ") but only " + queue.unfinished() + " item(s) are unfinished");
    }
    for (int i = 0; i < count; i++) {
      queue.taskDone();
    }
    return Future.succeededFuture(new JsonObject().put("unfinished", queue.unfinished()));
  }

  private Future<JsonObject> join(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    return queue(name(body)).join(waitOf(body)).map(v -> new JsonObject().put("unfinished", 0));
  }

  private AsyncQueue<Object> queue(String name) {
    AsyncQueue<Object> queue = queues.get(name);
    if (queue != null) {
      return queue;
    }
    checkRoomForAnotherQueue();
    return queues.computeIfAbsent(name, n -> newQueue(AsyncQueue.Kind.FIFO, 0));
  }

  private void checkRoomForAnotherQueue() {
    if (queues.size() >= MAX_QUEUES) {
      throw Failure.UNAVAILABLE.exception("too many queues (" + MAX_QUEUES + ")");
    }
  }

  private AsyncQueue<Object> newQueue(AsyncQueue.Kind kind, int capacity) {
    return switch (kind) {
      case FIFO -> AsyncQueue.fifo(vertx, capacity);
      case LIFO -> AsyncQueue.lifo(vertx, capacity);
      case PRIORITY -> AsyncQueue.byPriority(vertx, capacity, held -> ((Work) held).priority());
    };
  }

  private static JsonObject describe(String name, AsyncQueue<?> queue) {
    return new JsonObject().put("queue", name).put("kind", queue.kind().name().toLowerCase(Locale.ROOT))
      .put("capacity", queue.capacity()).put("size", queue.size());
  }

  private static String name(JsonObject body) {
    Object name = body.getValue("queue");
    if (!(name instanceof String text) || text.isBlank() || text.length() > 200) {
      throw Failure.BAD_REQUEST.exception("queue must be a name of 1 to 200 characters");
    }
    return text;
  }

  private static int integer(JsonObject body, String key, int fallback) {
    Object value = body.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
      || ((Number) value).longValue() > Integer.MAX_VALUE) {
      throw Failure.BAD_REQUEST.exception(key + " must be a non-negative integer");
    }
    return ((Number) value).intValue();
  }

  private static Duration waitOf(JsonObject body) {
    int ms = integer(body, "timeout_ms", 5_000);
    if (ms > MAX_WAIT_MS) {
      throw Failure.BAD_REQUEST.exception("timeout_ms must be at most " + MAX_WAIT_MS);
    }
    return Duration.ofMillis(ms);
  }
}
