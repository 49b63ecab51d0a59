package org.concurrencylab.queue.order;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.concurrencylab.database.Databases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The book's order workers ({@code order_workers}, default 5; 0 on a node that only takes orders). Each takes the next order, power users
 * first, with {@code SELECT ... FOR UPDATE SKIP LOCKED} inside a transaction, works on it (sleeps its
 * {@code work_ms}), marks it done and commits. Workers on several nodes never take the same order, and a
 * worker that dies (the process killed) leaves nothing half done: its transaction rolls back and the order
 * is waiting again.
 *
 * <p>An idle worker waits for the {@code queue.order.queued} publication of a new order; it looks again after
 * {@link #IDLE_RECHECK_MS} anyway, as a safety net for an order whose publication it missed.
 *
 * <p>{@link #stop()} drains: no new claims, the orders in hand get {@code order_drain_ms} to finish; those
 * still running then are rolled back by closing the pool, and wait for the next start.
 */
public final class OrderWorkers extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OrderWorkers.class);
  static final long IDLE_RECHECK_MS = 2_000;
  private static final String CLAIM = "SELECT id, work_ms FROM orders WHERE state = 'queued' "
    + "ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED";
  private static final String COMPLETE = "UPDATE orders SET state = 'done', completions = completions + 1, "
    + "completed_at = now(), worker = $2 WHERE id = $1";

  private final String node;
  private final ArrayDeque<Promise<Void>> idle = new ArrayDeque<>();
  private final List<Future<Void>> loops = new ArrayList<>();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong working = new AtomicLong();
  private Pool pool;
  private volatile boolean stopping;

  public OrderWorkers(String node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    int workers = config().getInteger("order_workers");
    if (workers == 0) {
      return Future.succeededFuture(); // a node that takes orders and leaves the work to other nodes
    }
    pool = Databases.pool(vertx, config(), workers);
    return vertx.eventBus().<JsonObject>consumer(OrderDesk.QUEUED, message -> {
      if (message.body().getInteger("delta") > 0) {
        wakeOne();
      }
    }).completion().onSuccess(registered -> {
      for (int i = 1; i <= workers; i++) {
        Promise<Void> finished = Promise.promise();
        loops.add(finished.future());
        work(node + "/worker-" + i, finished);
      }
    });
  }

  /** {@code {workers, working, completed}} for the service status. */
  public JsonObject stats() {
    return new JsonObject().put("workers", loops.size()).put("working", working.get()).put("completed", completed.get());
  }

  /** One worker: claim, work, complete, again; idle until an order comes when there is none. */
  private void work(String worker, Promise<Void> finished) {
    if (stopping) {
      finished.tryComplete();
      return;
    }
    pool.withTransaction(connection -> processNext(connection, worker)).onComplete(done -> {
      Future<Void> next;
      if (done.failed()) {
        if (!stopping) {
          log.warn("{}: {}; trying again shortly", worker, done.cause().getMessage());
        }
        next = vertx.timer(IDLE_RECHECK_MS).mapEmpty();
      } else {
        next = done.result() ? Future.succeededFuture() : idle();
      }
      next.onComplete(v -> work(worker, finished));
    });
  }

  /** Claims, works and completes one order in the caller's transaction; false when none was waiting. */
  private Future<Boolean> processNext(SqlConnection connection, String worker) {
    return connection.query(CLAIM).execute().compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(false);
      }
      Row order = rows.iterator().next();
      long id = order.getLong("id");
      vertx.eventBus().publish(OrderDesk.QUEUED, new JsonObject().put("delta", -1));
      working.incrementAndGet();
      return vertx.timer(Math.max(1, order.getInteger("work_ms")))
        .compose(worked -> connection.preparedQuery(COMPLETE).execute(Tuple.of(id, worker)))
        .map(updated -> {
          completed.incrementAndGet();
          return true;
        })
        .eventually(() -> {
          working.decrementAndGet();
          return Future.succeededFuture();
        });
    });
  }

  private Future<Void> idle() {
    Promise<Void> wake = Promise.promise();
    idle.addLast(wake);
    vertx.setTimer(IDLE_RECHECK_MS, id -> {
      idle.remove(wake);
      wake.tryComplete();
    });
    return wake.future();
  }

  private void wakeOne() {
    Promise<Void> next = idle.pollFirst();
    if (next != null) {
      next.tryComplete();
    }
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    new ArrayList<>(idle).forEach(Promise::tryComplete);
    long drainMs = config().getInteger("order_drain_ms");
    Future<?> drained = Future.join(loops).timeout(Math.max(1, drainMs), java.util.concurrent.TimeUnit.MILLISECONDS)
      .recover(late -> {
        log.info("{} order(s) still in work after {} ms: rolled back, they wait for the next start", working.get(), drainMs);
        return Future.succeededFuture();
      });
    return drained.compose(v -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
