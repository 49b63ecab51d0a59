package org.concurrencylab.queue.order;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.database.Migrations;

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
    pool = OrderDatabase.pool(vertx, config(), config().getInteger("db_pool"));
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
    boolean power = powerUser(message.body() == null ? new JsonObject() : Bus.jsonBody(message));
    return place(power).map(id -> new JsonObject().put("id", id).put("state", "queued").put("power_user", power));
  }

  /**
   * Stores an order and gives its id once its row is committed, or fails with 503 when the queue is full.
   * Callable on any event loop of this node (the HTTP server's, for a POST with no bus round trip): each loop
   * has its own {@link GroupCommit}, kept in its context.
   */
  public Future<Long> place(boolean power) {
    if (waiting.get() >= maxWaiting) {
      refused.incrementAndGet();
      return Future.failedFuture(Failure.UNAVAILABLE.exception(
        "the order queue is full (" + maxWaiting + " orders waiting); retry later"));
    }
    Context context = vertx.getOrCreateContext();
    GroupCommit writer = context.get(this);
    if (writer == null) {
      writer = new GroupCommit(vertx, pool, accepted);
      context.put(this, writer);
    }
    Future<Long> stored = writer.store(power, ThreadLocalRandom.current().nextInt(workMsMax + 1));
    if (stored.failed()) {
      refused.incrementAndGet();
    }
    return stored;
  }

  /** The body's {@code power_user}: true, false, or the book's "True" / "False"; absent is false. */
  static boolean powerUser(JsonObject body) {
    Object flag = body.getValue("power_user", false);
    if (Boolean.TRUE.equals(flag) || "True".equals(flag) || "true".equals(flag)) {
      return true;
    }
    if (Boolean.FALSE.equals(flag) || "False".equals(flag) || "false".equals(flag)) {
      return false;
    }
    throw Failure.BAD_REQUEST.exception("power_user must be true or false");
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
