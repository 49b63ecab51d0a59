package org.concurrencylab.blocking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench scrypt}: the scrypt workload in the shape of the Python peer's {@code scrypt_hash.py}, for
 * {@code bench/scrypt.sh}. Prints one JSON line.
 */
@Command(name = "scrypt", mixinStandardHelpOptions = true,
  description = "Hash N seeded random passwords with scrypt (n=2048 r=8 p=1), sequentially or on a pool; one JSON line.")
final class ScryptBenchCommand implements Callable<Integer> {

  @Option(names = "--n", description = "passwords (default ${DEFAULT-VALUE})")
  int n = 10_000;

  @Option(names = "--mode", description = "sequential or pool (default ${DEFAULT-VALUE})")
  String mode = "pool";

  @Option(names = "--workers", description = "pool threads (default: cores)")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(names = "--warmup", description = "hashes before the timed run, so the JIT has compiled scrypt (default ${DEFAULT-VALUE})")
  int warmup = 200;

  @Override
  public Integer call() throws Exception {
    if (n < 1 || workers < 1 || warmup < 0 || !(mode.equals("sequential") || mode.equals("pool"))) {
      System.err.println("error: need --n >= 1, --workers >= 1, --warmup >= 0 and --mode sequential|pool");
      return 2;
    }
    Scrypt.verify();
    Vertx vertx = Vertx.vertx();
    try {
      List<Scrypt.Item> items = Scrypt.items(n, 42);
      Future<Double> run = ScryptRuns.sequential(vertx, Scrypt.items(warmup, 7))
        .compose(warm -> mode.equals("sequential") ? ScryptRuns.sequential(vertx, items)
          : ScryptRuns.pooled(vertx, items, workers));
      double seconds = run.toCompletionStage().toCompletableFuture().get(1, TimeUnit.HOURS);
      System.out.println(new JsonObject().put("lab", "scrypt").put("mode", mode).put("n", n)
        .put("workers", mode.equals("pool") ? workers : 1)
        .put("seconds", Math.round(seconds * 1000) / 1000.0)
        .put("per_s", Math.round(n / seconds * 10) / 10.0).encode());
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
