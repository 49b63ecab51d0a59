package org.concurrencylab.sync.scenario;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import org.concurrencylab.sync.Lock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The book's 11.1-11.2: tasks increment a shared counter with an await between the read and the write.
 * Without a lock every task reads the same old value and most increments are lost; with the lock held
 * around read-await-write none is. The counter lives in an {@link AsyncMap}, so the tasks may run on
 * several Vert.x instances (cluster nodes) at once.
 */
public final class LostUpdate {

  /** One side of the race: a Vert.x instance, its view of the counter, and its handle of the lock (or none). */
  public record Side(Vertx vertx, AsyncMap<String, Integer> counters, Lock lock) {
  }

  private LostUpdate() {
  }

  /**
   * Starts {@code tasks} increments of counter {@code name}, spread over the sides, all at once; completes
   * with the counter's final value ({@code tasks} when no update was lost).
   */
  public static Future<Integer> run(List<Side> sides, String name, int tasks) {
    Side first = sides.get(0);
    return first.counters().put(name, 0).compose(reset -> {
      List<Future<Void>> increments = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        Side side = sides.get(i % sides.size());
        increments.add(side.lock() == null ? increment(side, name)
          : side.lock().withLock(Duration.ofSeconds(30), () -> increment(side, name)));
      }
      return Future.all(increments);
    }).compose(done -> first.counters().get(name));
  }

  /** {@code value = counter; await asyncio.sleep(0.01); counter = value + 1}. */
  private static Future<Void> increment(Side side, String name) {
    return side.counters().get(name)
      .compose(value -> side.vertx().timer(2).map(value))
      .compose(value -> side.counters().put(name, value + 1));
  }
}
