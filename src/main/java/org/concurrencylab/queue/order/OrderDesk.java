package org.concurrencylab.queue.order;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.database.Databases;
import org.concurrencylab.database.Migrations;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes orders: {@code queue.order.place} writes the order to PostgreSQL and answers with its id, or fails
 * with 503 when {@code order_queue_max} orders already wait (the book's {@code Queue(10)}, which made the
 * POST wait instead); {@code queue.order.get} answers an order's state.
 *
 * <p>The number of waiting orders is a gauge, not a {@code count(*)} per POST (that would cost a scan of the
 * waiting orders each time): read from the table at start, then moved by the {@code queue.order.queued}
 * publications of every node's desk (+1 per order taken) and workers (-1 per order claimed).
 */
public final class OrderDesk extends VerticleBase {

  public static final String PLACE = "queue.order.place";
  public static final String GET = "queue.order.get";
  /** Published with {@code {delta}} when an order is queued (+1) or claimed (-1). */
  public static final String QUEUED = "queue.order.queued";

  static final int POWER_USER = 1;
  static final int NORMAL_USER = 2;
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  /**
   * A whole batch in one statement: the arrays' elements in arrival order ({@code ORDER BY n}), so the ids,
   * drawn from the sequence row by row, rise in that order. One statement is its own transaction: committed
   * before PostgreSQL answers, no BEGIN and COMMIT round trips, one plan for any batch size.
   */
  private static final String INSERT = "INSERT INTO orders (power_user, priority, work_ms) "
    + "SELECT p, CASE WHEN p THEN " + POWER_USER + " ELSE " + NORMAL_USER + " END, w FROM unnest($1::bool[], $2::int[]) WITH ORDINALITY AS o(p, w, n) "
    + "ORDER BY n RETURNING id";
  /** Orders per INSERT at most, and INSERTs in flight at once (the rest queue in {@link #pending}). */
  private static final int MAX_BATCH = 256;
  private static final int MAX_INSERTS_IN_FLIGHT = 2;
  private static final int MAX_PENDING = 10_000;

  /** An order waiting for its INSERT, and the promise of its id. */
  private record PendingOrder(boolean power, int workMs, Promise<Long> stored) {
  }

  private final ArrayDeque<PendingOrder> pending = new ArrayDeque<>();
  private int inserting;
  private final AtomicLong waiting = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private Pool pool;
  private int maxWaiting;
  private int workMsMax;

  @Override
  public Future<?> start() {
    maxWaiting = config().getInteger("order_queue_max");
    workMsMax = config().getInteger("order_work_ms_max");
    pool = Databases.pool(vertx, config(), config().getInteger("db_pool"));
    return Migrations.apply(pool, "queue")
      .compose(applied -> pool.query("SELECT count(*) FROM orders WHERE state = 'queued'").execute())
      .compose(rows -> {
        waiting.set(rows.iterator().next().getLong(0));
        return Future.all(List.of(
          vertx.eventBus().<JsonObject>consumer(QUEUED, message -> waiting.addAndGet(message.body().getInteger("delta")))
            .completion(),
          Bus.<Object>serve(vertx, PLACE, this::place),
          Bus.<Object>serve(vertx, GET, this::get)));
      });
  }

  /** {@code {waiting, accepted, refused, capacity}} for the service status. */
  public JsonObject stats() {
    return new JsonObject().put("waiting", waiting.get()).put("accepted", accepted.get())
      .put("refused_full", refused.get()).put("capacity", maxWaiting);
  }

  private Future<JsonObject> place(Message<Object> message) {
    JsonObject body = message.body() == null ? new JsonObject() : Bus.jsonBody(message);
    Object flag = body.getValue("power_user", false);
    if (!(flag instanceof Boolean) && !"True".equals(flag) && !"true".equals(flag) && !"False".equals(flag)
      && !"false".equals(flag)) {
      throw Failure.BAD_REQUEST.exception("power_user must be true or false");
    }
    boolean power = Boolean.TRUE.equals(flag) || "True".equals(flag) || "true".equals(flag);
    if (waiting.get() >= maxWaiting) {
      refused.incrementAndGet();
      throw Failure.UNAVAILABLE.exception("the order queue is full (" + maxWaiting + " orders waiting); retry later");
    }
    if (pending.size() >= MAX_PENDING) {
      refused.incrementAndGet();
      throw Failure.UNAVAILABLE.exception("too many orders waiting to be stored; retry later");
    }
    int workMs = ThreadLocalRandom.current().nextInt(workMsMax + 1);
    Promise<Long> stored = Promise.promise();
    pending.addLast(new PendingOrder(power, workMs, stored));
    if (inserting < MAX_INSERTS_IN_FLIGHT) {
      insertPending();
    }
    return stored.future().map(id -> new JsonObject().put("id", id).put("state", "queued").put("power_user", power));
  }

  /**
   * Group commit: the orders that came in while earlier INSERTs were in flight are written together, one
   * statement and one commit for all (one WAL flush where commits are synchronous), and each POST is answered
   * once its row is committed. Under light load a batch is one order and nothing waits; under load the batches
   * grow by themselves, so commits per second stop bounding orders per second. The gauge moves and the
   * workers hear of new orders once per batch ({@code {delta: n}}), not once per order.
   */
  private void insertPending() {
    int size = Math.min(pending.size(), MAX_BATCH);
    if (size == 0) {
      return;
    }
    List<PendingOrder> batch = new ArrayList<>(size);
    Boolean[] powers = new Boolean[size];
    Integer[] works = new Integer[size];
    for (int i = 0; i < size; i++) {
      PendingOrder order = pending.pollFirst();
      batch.add(order);
      powers[i] = order.power();
      works[i] = order.workMs();
    }
    inserting++;
    pool.preparedQuery(INSERT).execute(Tuple.tuple().addArrayOfBoolean(powers).addArrayOfInteger(works)).onComplete(inserted -> {
      inserting--;
      if (inserted.failed() || inserted.result().size() != size) {
        Throwable cause = inserted.failed() ? inserted.cause()
          : new IllegalStateException(inserted.result().size() + " ids for " + size + " orders");
        batch.forEach(order -> order.stored().fail(cause));
      } else {
        long[] ids = new long[size];
        int i = 0;
        for (Row row : inserted.result()) {
          ids[i++] = row.getLong(0);
        }
        Arrays.sort(ids); // in arrival order (see INSERT), whatever order RETURNING lists them in
        accepted.addAndGet(size);
        vertx.eventBus().publish(QUEUED, new JsonObject().put("delta", size));
        for (i = 0; i < size; i++) {
          batch.get(i).stored().complete(ids[i]);
        }
      }
      if (!pending.isEmpty()) {
        insertPending();
      }
    });
  }

  private Future<JsonObject> get(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    if (!(body.getValue("id") instanceof Number number)) {
      throw Failure.BAD_REQUEST.exception("id must be an order number");
    }
    long id = number.longValue();
    return pool.preparedQuery("SELECT id, power_user, work_ms, state, completions, worker, created_at, completed_at "
        + "FROM orders WHERE id = $1")
      .execute(Tuple.of(id))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.failedFuture(Failure.NOT_FOUND.exception("no order " + id));
        }
        JsonObject order = describe(rows.iterator().next());
        if (!"queued".equals(order.getString("state"))) {
          return Future.succeededFuture(order);
        }
        // A queued order whose row a worker holds locked is being worked on.
        return pool.preparedQuery("SELECT id FROM orders WHERE id = $1 FOR KEY SHARE NOWAIT").execute(Tuple.of(id))
          .transform(probe -> Future.succeededFuture(probe.failed() && probe.cause() instanceof PgException pg
            && LOCK_NOT_AVAILABLE.equals(pg.getSqlState()) ? order.put("state", "working") : order));
      });
  }

  private static JsonObject describe(Row row) {
    return new JsonObject()
      .put("id", row.getLong("id"))
      .put("state", row.getString("state"))
      .put("power_user", row.getBoolean("power_user"))
      .put("work_ms", row.getInteger("work_ms"))
      .put("completions", row.getInteger("completions"))
      .put("worker", row.getString("worker"))
      .put("created_at", String.valueOf(row.getOffsetDateTime("created_at")))
      .put("completed_at", row.getOffsetDateTime("completed_at") == null ? null
        : String.valueOf(row.getOffsetDateTime("completed_at")));
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
