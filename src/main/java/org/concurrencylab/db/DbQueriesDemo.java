package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

/**
 * {@code demo db-queries --n 10000}: the book's listing 5.8. The same join N times, first one after the other,
 * then all at once through the pool; with 6 connections the second run keeps every connection busy (each
 * carries many pipelined queries at once) and finishes several times sooner (the book: 21.83 s vs 4.85 s).
 * Run it as the benchmark runs it: {@code java -XX:TieredStopAtLevel=1 -jar ... demo db-queries} (see
 * {@link DbQueriesBench}).
 */
final class DbQueriesDemo implements Demo {

  @Override
  public String name() {
    return "db-queries";
  }

  @Override
  public String summary() {
    return "5.7-5.8: the product/SKU join N times, sequentially and concurrently through the pool [--n 10000 --pool 6]";
  }

  @Override
  public Future<JsonObject> run(DemoContext context) {
    int n = context.intOption("n", 10_000);
    int size = context.intOption("pool", context.config().getInteger("db_pool", 6));
    if (n < 1 || size < 1) {
      return Future.failedFuture(new IllegalArgumentException("--n and --pool must be at least 1"));
    }
    // The pool migrates and seeds; the join runs on the pipelined client (JoinQueries.pipelinedClient), the
    // same one `bench db-queries` measures.
    return CommandDatabase.withPool(context.vertx(), context.config(), 1, context::say, (pool, connect) -> {
      SqlClient client = JoinQueries.pipelinedClient(context.vertx(), connect, size);
      return ProductSeeder.seedIfEmpty(pool, context.config().getInteger("db_seed", 42))
        .compose(seeded -> {
          context.say("The join of listing 5.7 for product %d, %,d times, %d pipelined connections (first row only).",
            JoinQueries.PRODUCT_ID, n, size);
          return JoinQueries.firstRow(client, JoinQueries.PRODUCT_ID); // connects; not timed
        })
        .compose(first -> {
          long start = System.nanoTime();
          return JoinQueries.sequential(client, n).map(rows -> seconds(start));
        })
        .compose(sequential -> {
          context.say("  one after the other: %8.3f s  (%,.0f queries/s)", sequential, n / sequential);
          long start = System.nanoTime();
          return JoinQueries.concurrent(client, n).map(rows -> {
            double concurrent = seconds(start);
            context.say("  all at once:         %8.3f s  (%,.0f queries/s)", concurrent, n / concurrent);
            context.say("Concurrently through the pool: %.1fx faster (the book: 21.83 s vs 4.85 s, 4.5x).",
              sequential / concurrent);
            return new JsonObject().put("n", n).put("pool", size).put("rows", rows)
              .put("sequential_s", round(sequential)).put("concurrent_s", round(concurrent))
              .put("speedup", round(sequential / concurrent));
          });
        })
        .eventually(client::close);
    });
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
