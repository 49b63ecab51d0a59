package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The book's listings 5.7-5.8: the product/SKU join for product 100, N times, one after the other or all at
 * once through the pool. Like asyncpg's {@code fetchrow}, each query asks the server for its first row only
 * ({@link ProductSql#PRODUCT_FIRST_SKU}), so PostgreSQL stops scanning at the first match instead of joining
 * all ~100 rows: one prepared statement, one round trip per query.
 */
final class JoinQueries {

  /** The product the book queries. */
  static final int PRODUCT_ID = 100;

  private JoinQueries() {
  }

  /** One query: the first row of the join, or null when the product has no SKU. */
  static Future<Row> firstRow(Pool pool, int productId) {
    return pool.preparedQuery(ProductSql.PRODUCT_FIRST_SKU).execute(Tuple.of(productId))
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** {@code n} queries, each started when the previous one has answered; completes with the rows found. */
  static Future<Integer> sequential(Pool pool, int n) {
    return sequentialFrom(pool, n, 0);
  }

  private static Future<Integer> sequentialFrom(Pool pool, int remaining, int found) {
    if (remaining == 0) {
      return Future.succeededFuture(found);
    }
    return firstRow(pool, PRODUCT_ID).compose(row -> sequentialFrom(pool, remaining - 1, found + (row == null ? 0 : 1)));
  }

  /** {@code n} queries started at once; the pool runs as many as it has connections and queues the rest. */
  static Future<Integer> concurrent(Pool pool, int n) {
    List<Future<Row>> queries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      queries.add(firstRow(pool, PRODUCT_ID));
    }
    return Future.all(queries).map(all -> (int) queries.stream().filter(q -> q.result() != null).count());
  }
}
