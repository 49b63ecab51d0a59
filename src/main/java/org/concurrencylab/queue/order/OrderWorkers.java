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

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The book's order workers ({@code order_workers}, default 5; 0 on a node that only takes orders). Each takes the next orders, power users
 * first, with {@code SELECT ... FOR UPDATE SKIP LOCKED} inside a transaction, works on them one after the other
 * (sleeps each one's {@code work_ms}), marks them done and commits. Workers on several nodes never take the same
 * order, and a worker that dies (the process killed) leaves nothing half done: its transaction rolls back and
 * its orders are waiting again.
 *
 * <p>How many orders a claim takes adapts to their work: one at first and whenever the last claim's work was
 * longer than {@link #CLAIM_WORK_BUDGET_MS}, twice as many as last time (up to {@link #MAX_CLAIM}) while it was
 * shorter. Long orders go one by one, so a power user's order never waits behind orders another worker holds
 * without working on them; orders with little work share one transaction, one claim and one UPDATE, instead of
 * a transaction each.
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
  /** A claim's orders may together take this much work and the next claim still takes twice as many. */
  static final int CLAIM_WORK_BUDGET_MS = 5;
  static final int MAX_CLAIM = 64;
  private static final String CLAIM = "SELECT id, work_ms FROM orders WHERE state = 'queued' "
    + "ORDER BY priority, id LIMIT $1 FOR UPDATE SKIP LOCKED";
  /** Each order's completed_at is when its own work ended, so the times keep the order the work was done in. */
  private static final String COMPLETE = "UPDATE orders o SET state = 'done', completions = o.completions + 1, "
    + "completed_at = d.at, worker = $3 FROM unnest($1::bigint[], $2::timestamptz[]) AS d(id, at) WHERE o.id = d.id";

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
      wake(message.body().getInteger("delta"));
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
    work(worker, finished, 1);
  }

  private void work(String worker, Promise<Void> finished, int claim) {
    if (stopping) {
      finished.tryComplete();
      return;
    }
    Batch batch = new Batch(worker, claim);
    pool.withTransaction(connection -> batch.process(connection)).onComplete(done -> {
      // Claimed orders not marked done (the workers stopping, or a failed transaction rolled back) wait again.
      int back = batch.claimed - (done.succeeded() ? done.result() : 0);
      if (back > 0) {
        vertx.eventBus().publish(OrderDesk.QUEUED, new JsonObject().put("delta", back));
      }
      Future<Void> next;
      if (done.failed()) {
        if (!stopping) {
          log.warn("{}: {}; trying again shortly", worker, done.cause().getMessage());
        }
        next = vertx.timer(IDLE_RECHECK_MS).mapEmpty();
      } else {
        completed.addAndGet(done.result());
        next = batch.claimed == 0 ? idle() : Future.succeededFuture();
      }
      next.onComplete(v -> work(worker, finished, batch.nextClaim()));
    });
  }

  /** One transaction's orders: claimed together, worked on in claim order, marked done by one UPDATE. */
  private final class Batch {
    private final String worker;
    private final int limit;
    private final List<Long> ids = new ArrayList<>();
    private final List<OffsetDateTime> doneAt = new ArrayList<>();
    private int claimed;
    private long workMs;

    Batch(String worker, int limit) {
      this.worker = worker;
      this.limit = limit;
    }

    /** Claims, works and completes up to {@code limit} orders in the caller's transaction; how many were done. */
    Future<Integer> process(SqlConnection connection) {
      return connection.preparedQuery(CLAIM).execute(Tuple.of(limit)).compose(rows -> {
        claimed = rows.size();
        if (claimed == 0) {
          return Future.succeededFuture(0);
        }
        List<Row> orders = new ArrayList<>(claimed);
        rows.forEach(orders::add);
        vertx.eventBus().publish(OrderDesk.QUEUED, new JsonObject().put("delta", -claimed));
        working.addAndGet(claimed);
        return workOn(orders, 0)
          .compose(worked -> ids.isEmpty() ? Future.succeededFuture()
            : connection.preparedQuery(COMPLETE).execute(Tuple.tuple()
              .addArrayOfLong(ids.toArray(Long[]::new)).addArrayOfOffsetDateTime(doneAt.toArray(OffsetDateTime[]::new))
              .addString(worker)).mapEmpty())
          .map(updated -> ids.size())
          .eventually(() -> {
            working.addAndGet(-claimed);
            return Future.succeededFuture();
          });
      });
    }

    /** Works on the orders from {@code index} on, one at a time; stops early when the workers stop. */
    private Future<Void> workOn(List<Row> orders, int index) {
      if (index == orders.size() || stopping) {
        return Future.succeededFuture();
      }
      Row order = orders.get(index);
      int ms = order.getInteger("work_ms");
      workMs += ms;
      Future<?> worked = ms > 0 ? vertx.timer(ms) : Future.succeededFuture();
      return worked.compose(v -> {
        ids.add(order.getLong("id"));
        doneAt.add(completionTime());
        return workOn(orders, index + 1);
      });
    }

    /** Now, but after this batch's previous completion: equal times would lose the order of the work. */
    private OffsetDateTime completionTime() {
      OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
      OffsetDateTime previous = doneAt.isEmpty() ? null : doneAt.get(doneAt.size() - 1);
      return previous != null && !now.isAfter(previous) ? previous.plus(1, ChronoUnit.MICROS) : now;
    }

    /** The next claim's size: twice this one's while the work was short, one again after long work. */
    int nextClaim() {
      if (workMs > CLAIM_WORK_BUDGET_MS) {
        return 1;
      }
      return claimed == limit ? Math.min(MAX_CLAIM, limit * 2) : limit;
    }
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

  private void wake(int orders) {
    for (int i = 0; i < orders && !idle.isEmpty(); i++) {
      idle.pollFirst().tryComplete();
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
