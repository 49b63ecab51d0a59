package org.concurrencylab.queue.order;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.concurrencylab.bus.Failure;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The group commit of one event loop: the orders that loop takes while its earlier INSERTs are in flight are
 * written together, one statement and one commit for all (one WAL flush, commits being synchronous), and each
 * is answered once its row is committed. Under light load a batch is one order and nothing waits; under load
 * the batches grow by themselves, so commits per second stop bounding orders per second. The gauge moves and
 * the workers hear of new orders once per batch ({@code {delta: n}}), not once per order.
 *
 * <p>One per event loop that takes orders (the desk's for the bus, each HTTP server instance's for its POSTs),
 * used on that loop only: an order goes from its request to its INSERT and back without a hop to another
 * thread, which a single writer for the node would cost twice per order.
 */
final class GroupCommit {

  /**
   * A whole batch in one statement: the arrays' elements in arrival order ({@code ORDER BY n}), so the ids,
   * drawn from the sequence row by row, rise in that order. One statement is its own transaction: committed
   * before PostgreSQL answers, no BEGIN and COMMIT round trips, one plan for any batch size.
   */
  private static final String INSERT = "INSERT INTO orders (power_user, priority, work_ms) "
    + "SELECT p, CASE WHEN p THEN " + OrderDesk.POWER_USER + " ELSE " + OrderDesk.NORMAL_USER + " END, w "
    + "FROM unnest($1::bool[], $2::int[]) WITH ORDINALITY AS o(p, w, n) ORDER BY n RETURNING id";
  /** Orders per INSERT at most, and INSERTs in flight at once (the rest queue in {@link #pending}). */
  private static final int MAX_BATCH = 256;
  private static final int MAX_INSERTS_IN_FLIGHT = 2;
  static final int MAX_PENDING = 10_000;

  /** An order waiting for its INSERT, and the promise of its id. */
  private record PendingOrder(boolean power, int workMs, Promise<Long> stored) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final AtomicLong accepted;
  private final ArrayDeque<PendingOrder> pending = new ArrayDeque<>();
  private int inserting;

  GroupCommit(Vertx vertx, Pool pool, AtomicLong accepted) {
    this.vertx = vertx;
    this.pool = pool;
    this.accepted = accepted;
  }

  /** The order's id once its row is committed; fails with 503 when too many orders wait for their INSERT. */
  Future<Long> store(boolean power, int workMs) {
    if (pending.size() >= MAX_PENDING) {
      return Future.failedFuture(Failure.UNAVAILABLE.exception("too many orders waiting to be stored; retry later"));
    }
    Promise<Long> stored = Promise.promise();
    pending.addLast(new PendingOrder(power, workMs, stored));
    if (inserting < MAX_INSERTS_IN_FLIGHT) {
      insertPending();
    }
    return stored.future();
  }

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
        vertx.eventBus().publish(OrderDesk.QUEUED, new JsonObject().put("delta", size));
        for (i = 0; i < size; i++) {
          batch.get(i).stored().complete(ids[i]);
        }
      }
      if (!pending.isEmpty()) {
        insertPending();
      }
    });
  }
}
