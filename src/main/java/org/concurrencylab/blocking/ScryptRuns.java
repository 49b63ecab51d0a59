package org.concurrencylab.blocking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayList;
import java.util.List;

/**
 * The two ways the book's 7.16 and 7.17 hash many passwords, timed: one after another on one worker thread,
 * and each on a pool of {@code workers} threads. Both leave the event loop alone; both return seconds.
 */
final class ScryptRuns {

  private ScryptRuns() {
  }

  /** Every hash on one worker thread, one after another (7.16). */
  static Future<Double> sequential(Vertx vertx, List<Scrypt.Item> items) {
    return vertx.executeBlocking(() -> {
      long started = System.nanoTime();
      for (Scrypt.Item item : items) {
        Scrypt.hash(item.password(), item.salt());
      }
      return (System.nanoTime() - started) / 1e9;
    }, false);
  }

  /** Each hash a task on a pool of {@code workers} threads, all submitted at once (7.17). */
  static Future<Double> pooled(Vertx vertx, List<Scrypt.Item> items, int workers) {
    WorkerExecutor pool = vertx.createSharedWorkerExecutor("scrypt-run-" + System.nanoTime(), workers);
    long started = System.nanoTime();
    List<Future<byte[]>> hashes = new ArrayList<>(items.size());
    for (Scrypt.Item item : items) {
      hashes.add(pool.executeBlocking(() -> Scrypt.hash(item.password(), item.salt()), false));
    }
    return Future.all(hashes)
      .map(all -> (System.nanoTime() - started) / 1e9)
      .eventually(pool::close);
  }
}
