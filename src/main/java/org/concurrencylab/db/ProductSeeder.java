package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Fills the product tables with {@link SeedData}, inside one transaction so a failed seed leaves the old rows.
 * Two ways to send the rows, both measured by {@code bench/db-queries.sh}:
 * <ul>
 *   <li>{@link Method#UNNEST}: one INSERT per table whose values are bound arrays that PostgreSQL unpacks
 *       ({@code unnest($1::int[], ...)}): three round trips for 101,100 rows, the lab's stand-in for COPY, with
 *       the SKU foreign keys checked once after the load rather than row by row;</li>
 *   <li>{@link Method#BATCH}: one prepared INSERT per row, sent as a pipelined batch (the book's
 *       {@code executemany}).</li>
 * </ul>
 */
final class ProductSeeder {

  enum Method {
    UNNEST, BATCH;

    static Method named(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown seeding method '" + name + "' (known: unnest, batch)");
      }
    }
  }

  private ProductSeeder() {
  }

  /**
   * Replaces the data with {@code data} (ids start again at 1) and refreshes the planner's statistics.
   * Completes with {@code {method, brands, products, skus, brands_s, products_s, skus_s, seconds, rows_per_s}}.
   */
  static Future<JsonObject> reseed(Pool pool, SeedData data, Method method) {
    JsonObject report = new JsonObject().put("method", method.name().toLowerCase(Locale.ROOT))
      .put("brands", data.brandNames().size()).put("products", data.productNames().size())
      .put("skus", data.skuProducts().length);
    return pool.withTransaction(connection -> connection.query(ProductSql.SEED_LOCK).execute()
        .compose(v -> connection.query(ProductSql.TRUNCATE).execute())
        .compose(v -> insert(connection, data, method, report)))
      .compose(v -> pool.query(ProductSql.ANALYZE).execute())
      .map(v -> {
        double seconds = report.getDouble("brands_s") + report.getDouble("products_s") + report.getDouble("skus_s");
        return report.put("seconds", round(seconds)).put("rows_per_s", Math.round(data.rows() / seconds));
      });
  }

  /**
   * Seeds the book's data for {@code seed} if the tables are empty; two nodes starting together seed once.
   * Completes with true when this call seeded.
   */
  static Future<Boolean> seedIfEmpty(Pool pool, long seed) {
    return pool.withTransaction(connection -> connection.query(ProductSql.SEED_LOCK).execute()
        .compose(v -> connection.query(ProductSql.IS_EMPTY).execute())
        .compose(rows -> {
          if (!rows.iterator().next().getBoolean(0)) {
            return Future.succeededFuture(false);
          }
          return insert(connection, SeedData.book(seed), Method.UNNEST, new JsonObject()).map(true);
        }))
      .compose(seeded -> seeded ? pool.query(ProductSql.ANALYZE).execute().map(true) : Future.succeededFuture(false));
  }

  private static Future<JsonObject> insert(SqlConnection connection, SeedData data, Method method, JsonObject report) {
    return timed(report, "brands_s", () -> method == Method.UNNEST
      ? connection.preparedQuery(ProductSql.SEED_BRANDS).execute(Tuple.tuple()
        .addValue(data.brandNames().toArray(String[]::new)))
      : connection.preparedQuery(ProductSql.INSERT_BRAND).executeBatch(tuples(data.brandNames().size(),
        i -> Tuple.of(data.brandNames().get(i)))))
      .compose(v -> timed(report, "products_s", () -> method == Method.UNNEST
        ? connection.preparedQuery(ProductSql.SEED_PRODUCTS).execute(Tuple.tuple()
          .addValue(data.productNames().toArray(String[]::new)).addValue(data.productBrands()))
        : connection.preparedQuery(ProductSql.INSERT_PRODUCT).executeBatch(tuples(data.productNames().size(),
          i -> Tuple.of(data.productNames().get(i), data.productBrands()[i])))))
      .compose(v -> data.skuProducts().length == 0 ? Future.succeededFuture(report.put("skus_s", 0.0))
        : timed(report, "skus_s", () -> method == Method.UNNEST
          ? connection.query(ProductSql.DROP_SKU_KEYS).execute()
            .compose(dropped -> connection.preparedQuery(ProductSql.SEED_SKUS).execute(Tuple.tuple()
              .addValue(data.skuProducts()).addValue(data.skuSizes()).addValue(data.skuColors())))
            .compose(loaded -> connection.query(ProductSql.ADD_SKU_KEYS).execute())
          : connection.preparedQuery(ProductSql.INSERT_SKU).executeBatch(tuples(data.skuProducts().length,
            i -> Tuple.of(data.skuProducts()[i], data.skuSizes()[i], data.skuColors()[i])))));
  }

  private static Future<JsonObject> timed(JsonObject report, String key, Supplier<Future<?>> step) {
    long start = System.nanoTime();
    return step.get().map(v -> report.put(key, round((System.nanoTime() - start) / 1e9)));
  }

  private static List<Tuple> tuples(int count, java.util.function.IntFunction<Tuple> row) {
    List<Tuple> tuples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tuples.add(row.apply(i));
    }
    return tuples;
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
