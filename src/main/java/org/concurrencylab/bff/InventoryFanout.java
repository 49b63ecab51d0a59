package org.concurrencylab.bff;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.IntFunction;

/**
 * One page's inventory calls: one per product, at most {@code concurrency} in flight, all under one
 * deadline. The result has one entry per product, in order: the count, or null for a call that failed,
 * missed the deadline or never started before it. Never fails.
 *
 * <p>Everything runs on the page's event loop (the calls complete on the context that made them), so the
 * bookkeeping needs no locks.
 */
final class InventoryFanout {

  private final Vertx vertx;
  private final List<Integer> productIds;
  private final int concurrency;
  private final IntFunction<Future<Integer>> call;
  private final Integer[] counts;
  private final Promise<Integer[]> done = Promise.promise();
  private int next;
  private int settled;
  private long deadlineTimer;
  private boolean launching;

  private InventoryFanout(Vertx vertx, List<Integer> productIds, int concurrency, IntFunction<Future<Integer>> call) {
    this.vertx = vertx;
    this.productIds = productIds;
    this.concurrency = concurrency;
    this.call = call;
    this.counts = new Integer[productIds.size()];
  }

  /**
   * @param call one product's inventory call, given the product id
   * @return the counts (null where missing) after every call settled or the deadline passed
   */
  static Future<Integer[]> run(Vertx vertx, List<Integer> productIds, int concurrency, long deadlineMs,
                               IntFunction<Future<Integer>> call) {
    InventoryFanout fanout = new InventoryFanout(vertx, productIds, concurrency, call);
    if (productIds.isEmpty()) {
      return Future.succeededFuture(fanout.counts);
    }
    fanout.deadlineTimer = vertx.setTimer(Math.max(1, deadlineMs), id -> fanout.finish());
    fanout.launch();
    return fanout.done.future();
  }

  /** Starts calls while there is room; a call that settles at once does not recurse, the loop goes on. */
  private void launch() {
    if (launching) {
      return;
    }
    launching = true;
    try {
      while (next < productIds.size() && next - settled < concurrency && !done.future().isComplete()) {
        int index = next++;
        Future<Integer> count;
        try {
          count = call.apply(productIds.get(index));
        } catch (RuntimeException e) {
          count = Future.failedFuture(e);
        }
        count.onComplete(result -> settle(index, result), failure -> settle(index, null));
      }
    } finally {
      launching = false;
    }
  }

  private void settle(int index, Integer count) {
    if (done.future().isComplete()) {
      return; // too late: the page has gone with a null here
    }
    counts[index] = count;
    settled++;
    if (settled == productIds.size()) {
      finish();
    } else {
      launch();
    }
  }

  private void finish() {
    vertx.cancelTimer(deadlineTimer);
    done.tryComplete(counts);
  }
}
