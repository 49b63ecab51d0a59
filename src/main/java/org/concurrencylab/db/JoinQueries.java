package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
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

  /**
   * The client the demo and the benchmark run the join on: {@code connections} connections (the book's pool of
   * 6), each carrying up to {@link PgConnectOptions#getPipeliningLimit()} queries at once instead of one. The
   * queries and their answers are the same as through a {@code Pool}; what changes is that many of them share
   * one socket write and one read, so the client and PostgreSQL wake up far less often per query.
   */
  static SqlClient pipelinedClient(Vertx vertx, PgConnectOptions connect, int connections) {
    return PgBuilder.client()
      .with(new PoolOptions().setMaxSize(connections).setMaxWaitQueueSize(-1)) // the demos queue N on purpose
      .connectingTo(connect)
      .using(vertx)
      .build();
  }

  /** One query: the first row of the join, or null when the product has no SKU. */
  static Future<Row> firstRow(SqlClient client, int productId) {
    return client.preparedQuery(ProductSql.PRODUCT_FIRST_SKU).execute(Tuple.of(productId))
      .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
  }

  /** {@code n} queries, each started when the previous one has answered; completes with the rows found. */
  static Future<Integer> sequential(SqlClient client, int n) {
    Promise<Integer> done = Promise.promise();
    sequentialFrom(client, n, 0, done);
    return done.future();
  }

  // Each query starts from the previous one's callback, not from a chain of n composed futures: completing
  // such a chain takes n nested calls, which overflowed the stack for n = 10,000 under C1.
  private static void sequentialFrom(SqlClient client, int remaining, int found, Promise<Integer> done) {
    if (remaining == 0) {
      done.complete(found);
      return;
    }
    firstRow(client, PRODUCT_ID).onComplete(
      row -> sequentialFrom(client, remaining - 1, found + (row == null ? 0 : 1), done), done::fail);
  }

  /** {@code n} queries started at once; the client runs as many as its connections take and queues the rest. */
  static Future<Integer> concurrent(SqlClient client, int n) {
    List<Future<Row>> queries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      queries.add(firstRow(client, PRODUCT_ID));
    }
    return Future.all(queries).map(all -> (int) queries.stream().filter(q -> q.result() != null).count());
  }
}
