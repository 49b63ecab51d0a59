package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import org.concurrencylab.database.Databases;
import org.concurrencylab.measure.ProcessCpu;
import org.concurrencylab.measure.ThreadCpu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code bench db-queries --url URL [--n 10000 --pool 6 --mode concurrent --client pipelined]}: the client side
 * of {@code bench/db-queries.sh}, the counterpart of the peer's {@code db_queries.py}. One event loop (the peer
 * has one too), the 5.7 join for product 100 reading its first row, N times, on the demo's client
 * ({@link JoinQueries#pipelinedClient}) or, with {@code --client pool}, on a plain {@code Pool} that runs one
 * query per connection at a time as asyncpg's pool does. Prints a table and one JSON line with wall seconds,
 * queries/s and the process's CPU seconds over the timed part.
 *
 * <p>The benchmark runs this short-lived client with {@code -XX:TieredStopAtLevel=1} (C1 only), as the README
 * says to run the demo: over ~10,000 queries the C2 compiler threads burned more CPU than the event loop
 * itself, and C1's code ran the event loop as fast ({@code --threads} shows where the CPU goes).
 */
@Command(name = "db-queries", mixinStandardHelpOptions = true,
  description = "Time N runs of the ch5 join through a pool (the peer: db_queries.py).")
final class DbQueriesBench implements Callable<Integer> {

  @Option(names = "--url", required = true, description = "postgresql://user@host:port/db with the seeded tables.")
  String url;

  @Option(names = "--n", description = "Queries (default: ${DEFAULT-VALUE}).")
  int n = 10_000;

  @Option(names = "--pool", description = "Connections (default: ${DEFAULT-VALUE}).")
  int poolSize = 6;

  @Option(names = "--mode", description = "sequential or concurrent (default: ${DEFAULT-VALUE}).")
  String mode = "concurrent";

  @Option(names = "--client", description = "pipelined (the demo's client: many queries in flight per "
    + "connection) or pool (one query per connection at a time, like asyncpg's pool) (default: ${DEFAULT-VALUE}).")
  String client = "pipelined";

  @Option(names = "--warmup", description = "Untimed queries first, so the JIT has compiled the path "
    + "(default: ${DEFAULT-VALUE}).")
  int warmup = 2_000;

  @Option(names = "--threads", description = "Also print, on stderr, the CPU seconds of each JVM thread group "
    + "(event loop, JIT compilers, GC) over the timed part.")
  boolean threads;

  @Override
  public Integer call() throws Exception {
    if (n < 1 || poolSize < 1 || warmup < 0 || !(mode.equals("sequential") || mode.equals("concurrent"))
      || !(client.equals("pipelined") || client.equals("pool"))) {
      System.err.println("error: need --n >= 1, --pool >= 1, --warmup >= 0, --mode sequential|concurrent and "
        + "--client pipelined|pool");
      return 2;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    SqlClient sql = client.equals("pipelined")
      ? JoinQueries.pipelinedClient(vertx, Databases.connectOptions(url), poolSize)
      : PgBuilder.pool().with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(-1))
        .connectingTo(Databases.connectOptions(url)).using(vertx).build();
    try {
      boolean sequential = mode.equals("sequential");
      // Run on the event loop, as a verticle would: every callback stays on that one thread.
      JsonObject result = onLoop(vertx, () -> (sequential ? JoinQueries.sequential(sql, warmup)
          : JoinQueries.concurrent(sql, Math.max(warmup, 1)))
        .compose(warm -> {
          ThreadCpu threadsBefore = threads ? ThreadCpu.now() : null;
          long cpuStart = ProcessCpu.nanos();
          long start = System.nanoTime();
          return (sequential ? JoinQueries.sequential(sql, n) : JoinQueries.concurrent(sql, n)).map(rows -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (ProcessCpu.nanos() - cpuStart) / 1e9;
            if (threads) {
              System.err.print("CPU seconds by thread over the timed part:\n"
                + ThreadCpu.table(ThreadCpu.now().since(threadsBefore)));
            }
            return new JsonObject().put("lab", "db_queries").put("mode", mode).put("client", client).put("n", n)
              .put("pool", poolSize).put("rows", rows).put("seconds", round(seconds))
              .put("per_s", Math.round(n / seconds)).put("cpu_s", round(cpu)).put("cpu_s_per_1000", round(cpu * 1000 / n))
              .put("warmup", warmup);
          });
        }));
      System.out.printf(Locale.ROOT, "%-12s %-10s %8s %10s %12s %8s%n", "mode", "client", "n", "seconds", "queries/s",
        "cpu s");
      System.out.printf(Locale.ROOT, "%-12s %-10s %8d %10.3f %12d %8.3f%n", mode, client, n,
        result.getDouble("seconds"), result.getLong("per_s"), result.getDouble("cpu_s"));
      System.out.println(result.encode());
      return result.getInteger("rows") == n ? 0 : 1;
    } finally {
      sql.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static <T> T onLoop(Vertx vertx, Supplier<Future<T>> work) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    vertx.runOnContext(v -> work.get().onComplete(done::complete, done::completeExceptionally));
    return done.get(30, TimeUnit.MINUTES);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
