package org.concurrencylab.mapreduce.lessons;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.UUID;

/**
 * {@code demo shared-counter [--workers 2] [--n 1000000] [--counter-n 2000]}: the book's 6.10-6.12. Parallel
 * workers add 1 to one counter; unsynchronised, updates are lost; an AtomicLong, a lock and Vert.x's
 * shared-data Counter (cluster-wide when clustered) count exactly.
 */
public final class SharedCounterDemo implements Demo {

  @Override
  public String name() {
    return "shared-counter";
  }

  @Override
  public String summary() {
    return "6.10-6.12: a counter raced by parallel workers loses updates; atomic, lock and shared-data Counter fix it";
  }

  @Override
  public Future<JsonObject> run(DemoContext context) {
    int workers = Math.max(2, context.intOption("workers", Runtime.getRuntime().availableProcessors()));
    int n = context.intOption("n", 1_000_000);
    int counterN = context.intOption("counter-n", 2_000);
    if (n < 1 || counterN < 1 || workers > CounterRace.MAX_WORKERS) {
      return Future.failedFuture(new IllegalArgumentException("--n and --counter-n must be at least 1, --workers at most "
        + CounterRace.MAX_WORKERS));
    }
    context.say("%d workers (worker threads, started together) each add 1 to one shared counter %,d times.",
      workers, n);
    JsonObject results = new JsonObject();
    String counterName = "demo.shared-counter." + UUID.randomUUID();
    Future<Void> chain = Future.succeededFuture();
    for (CounterRace.Strategy strategy : CounterRace.Strategy.values()) {
      int increments = strategy == CounterRace.Strategy.SHARED_COUNTER ? counterN : n;
      chain = chain.compose(v -> CounterRace.race(context.vertx(), strategy, workers, increments, counterName))
        .map(outcome -> {
          context.say("  %-40s expected %,12d  got %,12d  lost %,10d  %,6d ms", strategy.description()
              + (strategy == CounterRace.Strategy.SHARED_COUNTER ? " (" + increments + " each)" : ""),
            outcome.expected(), outcome.actual(), outcome.lost(), outcome.millis());
          results.put(strategy.name().toLowerCase(java.util.Locale.ROOT), new JsonObject()
            .put("increments", outcome.increments()).put("expected", outcome.expected())
            .put("actual", outcome.actual()).put("lost", outcome.lost()).put("ms", outcome.millis()));
          return null;
        });
    }
    return chain.map(v -> {
      long lost = results.getJsonObject("unsafe").getLong("lost");
      context.say(lost > 0
        ? "Reading and writing a shared value in two steps lost %,d updates: another worker wrote in between."
        : "No update was lost this time (%d): the race needs the workers to overlap; run it again.", lost);
      context.say("The atomic, the lock and the shared-data Counter lose none; the Counter is the same on every node "
        + "of a cluster (Hazelcast), at the price of a round trip per increment.");
      return new JsonObject().put("workers", workers).put("results", results);
    });
  }
}
