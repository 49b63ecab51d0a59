package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.concurrencylab.database.Databases;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench db-queries --url URL [--n 10000 --pool 6 --mode concurrent]}: the client side of
 * {@code bench/db-queries.sh}, the counterpart of the peer's {@code db_queries.py}. One event loop (the peer
 * has one too), the 5.7 join for product 100 reading its first row, N times. Prints a table and one JSON line
 * with wall seconds, queries/s and the process's CPU seconds over the timed part.
 */
@Command(name = "db-queries", mixinStandardHelpOptions = true,
  description = "Time N runs of the ch5 join through a pool (the peer: db_queries.py).")
final class DbQueriesBench implements Callable<Integer> {

  @Option(names = "--url", required = true, description = "postgresql://user@host:port/db with the seeded tables.")
  String url;

  @Option(names = "--n", description = "Queries (default: ${DEFAULT-VALUE}).")
  int n = 10_000;

  @Option(names = "--pool", description = "Pool size (default: ${DEFAULT-VALUE}).")
  int poolSize = 6;

  @Option(names = "--mode", description = "sequential or concurrent (default: ${DEFAULT-VALUE}).")
  String mode = "concurrent";

  @Option(names = "--warmup", description = "Untimed queries first, so the JIT has compiled the path "
    + "(default: ${DEFAULT-VALUE}).")
  int warmup = 2_000;

  @Override
  public Integer call() throws Exception {
    if (n < 1 || poolSize < 1 || warmup < 0 || !(mode.equals("sequential") || mode.equals("concurrent"))) {
      System.err.println("error: need --n >= 1, --pool >= 1, --warmup >= 0 and --mode sequential|concurrent");
      return 2;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(-1))
      .connectingTo(Databases.connectOptions(url)).using(vertx).build();
    try {
      boolean sequential = mode.equals("sequential");
      // Run on the event loop, as a verticle would: every callback stays on that one thread.
      JsonObject result = onLoop(vertx, () -> (sequential ? JoinQueries.sequential(pool, warmup)
          : JoinQueries.concurrent(pool, Math.max(warmup, 1)))
        .compose(warm -> {
          long cpuStart = processCpuNanos();
          long start = System.nanoTime();
          return (sequential ? JoinQueries.sequential(pool, n) : JoinQueries.concurrent(pool, n)).map(rows -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (processCpuNanos() - cpuStart) / 1e9;
            return new JsonObject().put("lab", "db_queries").put("mode", mode).put("n", n).put("pool", poolSize)
              .put("rows", rows).put("seconds", round(seconds)).put("per_s", Math.round(n / seconds))
              .put("cpu_s", round(cpu)).put("cpu_s_per_1000", round(cpu * 1000 / n)).put("warmup", warmup);
          });
        }));
      System.out.printf(Locale.ROOT, "%-12s %8s %10s %12s %8s%n", "mode", "n", "seconds", "queries/s", "cpu s");
      System.out.printf(Locale.ROOT, "%-12s %8d %10.3f %12d %8.3f%n", mode, n, result.getDouble("seconds"),
        result.getLong("per_s"), result.getDouble("cpu_s"));
      System.out.println(result.encode());
      return result.getInteger("rows") == n ? 0 : 1;
    } finally {
      pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T onLoop(Vertx vertx, java.util.function.Supplier<Future<T>> work) throws Exception {
    java.util.concurrent.CompletableFuture<T> done = new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(v -> work.get().onComplete(done::complete, done::completeExceptionally));
    return done.get(30, TimeUnit.MINUTES);
  }

  /** CPU time of the whole process (every thread, JIT and GC included), like Python's process_time(). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
