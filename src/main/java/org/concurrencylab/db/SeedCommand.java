package org.concurrencylab.db;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code seed --seed 42 [--brands N --products N --skus N] [--method unnest|batch]}: replaces the product data
 * with the deterministic rows of a seed and prints one JSON line with the insert times.
 */
@Command(name = "seed", mixinStandardHelpOptions = true,
  description = {"Replace the product data with the deterministic rows of a seed (ch5).",
    "Uses LAB_DB_URL, or the embedded PostgreSQL in LAB_DATA_DIR/postgres."})
final class SeedCommand implements Callable<Integer> {

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(names = "--brands", description = "Brands (default: ${DEFAULT-VALUE}).")
  int brands = 100;

  @Option(names = "--products", description = "Products, 10 words each (default: ${DEFAULT-VALUE}).")
  int products = 1_000;

  @Option(names = "--skus", description = "SKUs (default: ${DEFAULT-VALUE}).")
  int skus = 100_000;

  @Option(names = "--method", description = "unnest (one INSERT of bound arrays per table) or batch "
    + "(one pipelined INSERT per row) (default: ${DEFAULT-VALUE}).")
  String method = "unnest";

  @Override
  public Integer call() throws Exception {
    SeedData data;
    ProductSeeder.Method chosen;
    try {
      chosen = ProductSeeder.Method.named(method);
      long start = System.nanoTime();
      data = SeedData.generate(seed, brands, products, skus);
      System.err.printf("generated %,d rows for seed %d in %.2f s%n", data.rows(), seed, (System.nanoTime() - start) / 1e9);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject report = CommandDatabase.withPool(vertx, CommandDatabase.fromEnvironment(), 1, System.err::println,
          pool -> ProductSeeder.reseed(pool, data, chosen))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      System.out.println(report.put("seed", seed).encode());
      return 0;
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("error: seeding failed: " + e.getCause().getMessage());
      return 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
