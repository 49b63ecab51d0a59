package org.concurrencylab.queue.order;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
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
 * <p>A worker whose claim came back short (the queue had fewer orders than it asked for) goes idle until enough
 * orders for its next claim are waiting ({@code queue.order.queued} publications of new orders), or for at most
 * {@link #LINGER_MS} once any order waits: the orders that arrive meanwhile are claimed, worked on and completed
 * in one transaction instead of a transaction for every few orders, which is what PostgreSQL's CPU per order
 * depends on (per transaction ~0.5 ms of its CPU here, per order ~50 us). Orders with long work are claimed one
 * at a time, so for them nothing lingers. An idle worker looks again after {@link #IDLE_RECHECK_MS} anyway, as
 * a safety net for an order whose publication it missed.
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
  /** How long an idle worker waits for a full claim once an order waits. */
  static final long LINGER_MS = 10;
  private static final String CLAIM = "SELECT id, work_ms FROM orders WHERE state = 'queued' "
    + "ORDER BY priority, id LIMIT $1 FOR UPDATE SKIP LOCKED";
  /** Each order's completed_at is when its own work ended, so the times keep the order the work was done in. */
  private static final String COMPLETE = "UPDATE orders o SET state = 'done', completions = o.completions + 1, "
    + "completed_at = d.at, worker = $3 FROM unnest($1::bigint[], $2::timestamptz[]) AS d(id, at) WHERE o.id = d.id";

  private final String node;
  private final ArrayDeque<IdleWorker> idle = new ArrayDeque<>();
  /**
   * Orders this node's workers heard of and did not claim yet, as far as they know: other nodes' claims are not
   * subtracted, and a claim that came back short resets it to the orders heard of since that claim began (the
   * ones before were visible to it: it took them, or another worker holds them).
   */
  private long unclaimed;
  /** Orders heard of since the start, the clock of {@link #unclaimed}'s reset. */
  private long heard;
  /** Of {@link #unclaimed}, those promised to workers woken and not yet back from their claim. */
  private long promised;
  private long lingerTimer = -1;
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
    pool = OrderDatabase.pool(vertx, config(), workers);
    return vertx.eventBus().<JsonObject>consumer(OrderDesk.QUEUED, message -> {
      int delta = message.body().getInteger("delta");
      if (delta > 0) { // new orders, or orders back from a rolled-back claim; claims are counted where they happen
        unclaimed += delta;
        heard += delta;
        wakeIdle();
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
    work(worker, finished, 1, 0);
  }

  /** @param share the waiting orders counted as this claim's when the worker was woken (see {@link #promised}) */
  private void work(String worker, Promise<Void> finished, int claim, long share) {
    if (stopping) {
      finished.tryComplete();
      return;
    }
    Batch batch = new Batch(worker, claim);
    long heardBefore = heard;
    pool.withTransaction(connection -> batch.process(connection)).onComplete(done -> {
      unclaimed = batch.claimed < claim ? heard - heardBefore : Math.max(0, unclaimed - batch.claimed);
      promised -= share;
      // Claimed orders not marked done (the workers stopping, or a failed transaction rolled back) wait again.
      int back = batch.claimed - (done.succeeded() ? done.result() : 0);
      if (back > 0) {
        vertx.eventBus().publish(OrderDesk.QUEUED, new JsonObject().put("delta", back));
      }
      if (done.succeeded()) {
        completed.addAndGet(done.result());
      }
      Future<Long> next;
      if (stopping) {
        // Straight to the check at the top: a worker that went idle or waited to retry after stop() had woken the
        // idle ones would sleep out the whole drain (the safety net's 2 s), and the drain would end "late" with
        // nothing in work.
        next = Future.succeededFuture(0L);
      } else if (done.failed()) {
        log.warn("{}: {}; trying again shortly", worker, done.cause().getMessage());
        next = vertx.timer(IDLE_RECHECK_MS).map(0L);
      } else {
        next = batch.claimed < claim ? idle(batch.nextClaim()) : Future.succeededFuture(0L);
      }
      next.onComplete(woken -> work(worker, finished, batch.nextClaim(), woken.succeeded() ? woken.result() : 0));
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

  /** A worker waiting for orders, how many its next claim takes, and the orders promised to it when woken. */
  private record IdleWorker(Promise<Long> wake, int claim) {
  }

  /** Waits until {@code claim} orders wait, {@link #LINGER_MS} after any order waits, or the safety net's time. */
  private Future<Long> idle(int claim) {
    IdleWorker worker = new IdleWorker(Promise.promise(), claim);
    idle.addLast(worker);
    long safetyNet = vertx.setTimer(IDLE_RECHECK_MS, id -> {
      if (idle.remove(worker)) {
        worker.wake().tryComplete(0L);
      }
    });
    wakeIdle();
    return worker.wake().future().onComplete(woken -> vertx.cancelTimer(safetyNet));
  }

  /** Wakes the idle workers whose claims the waiting orders fill; lingers for the first one's otherwise. */
  private void wakeIdle() {
    while (!idle.isEmpty() && unclaimed - promised >= idle.peekFirst().claim()) {
      wakeFirst();
    }
    if (!idle.isEmpty() && unclaimed > promised && lingerTimer < 0) {
      lingerTimer = vertx.setTimer(LINGER_MS, id -> {
        lingerTimer = -1;
        if (!idle.isEmpty() && unclaimed > promised) {
          wakeFirst();
        }
        wakeIdle();
      });
    }
  }

  private void wakeFirst() {
    IdleWorker worker = idle.pollFirst();
    long share = Math.min(worker.claim(), Math.max(0, unclaimed - promised));
    promised += share;
    worker.wake().tryComplete(share);
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    new ArrayList<>(idle).forEach(worker -> worker.wake().tryComplete(0L));
    long drainMs = config().getInteger("order_drain_ms");
    Future<?> drained = Future.join(loops).timeout(Math.max(1, drainMs), java.util.concurrent.TimeUnit.MILLISECONDS)
      .recover(late -> {
        log.info("{} order(s) still in work after {} ms: rolled back, they wait for the next start", working.get(), drainMs);
        return Future.succeededFuture();
      });
    return drained.compose(v -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
