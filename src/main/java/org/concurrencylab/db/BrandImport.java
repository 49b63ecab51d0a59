package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * The book's transactions (5.9-5.12) as a real use: creating many brands at once.
 *
 * <p>All or nothing runs inside the client's transaction ({@code Pool.withTransaction}): the first failing
 * INSERT rolls back every row before it. Skipping failures needs savepoints, and the client's transaction
 * object rolls the whole transaction back as soon as any statement fails, so that mode drives
 * {@code BEGIN / SAVEPOINT / ROLLBACK TO SAVEPOINT / COMMIT} itself, as the book's listing 5.12 does by hand.
 */
final class BrandImport {

  private static final String SAVEPOINT = "SAVEPOINT brand";

  private BrandImport() {
  }

  /** Inserts every name or, if one fails, none (the caller runs this inside a transaction). */
  static Future<JsonObject> allOrNothing(SqlConnection connection, List<String> names) {
    JsonArray ids = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (String name : names) {
      chain = chain.compose(v -> insert(connection, name)).map(id -> {
        ids.add(id);
        return null;
      });
    }
    return chain.map(v -> new JsonObject().put("brand_ids", ids).put("skipped", new JsonArray()));
  }

  /**
   * Inserts each name inside a savepoint: a failing one is undone alone and reported, the rest commit.
   * {@code brand_ids} has null where a name was skipped.
   */
  static Future<JsonObject> skippingFailures(SqlConnection connection, List<String> names) {
    JsonArray ids = new JsonArray();
    JsonArray skipped = new JsonArray();
    Future<Void> chain = connection.query("BEGIN").execute().mapEmpty();
    for (int i = 0; i < names.size(); i++) {
      int index = i;
      chain = chain
        .compose(v -> connection.query(SAVEPOINT).execute())
        .compose(v -> insert(connection, names.get(index))
          .compose(id -> connection.query("RELEASE " + SAVEPOINT).execute().map(id))
          .recover(failure -> connection.query("ROLLBACK TO " + SAVEPOINT).execute().map(r -> {
            skipped.add(new JsonObject().put("index", index)
              .put("message", org.concurrencylab.bus.Failure.describe(StoreFailures.toBus(failure))));
            return (Integer) null;
          })))
        .map(id -> {
          ids.add(id);
          return null;
        });
    }
    return chain
      .compose(v -> connection.query("COMMIT").execute())
      .map(v -> new JsonObject().put("brand_ids", ids).put("skipped", skipped))
      .recover(failure -> connection.query("ROLLBACK").execute()
        .transform(ignored -> Future.failedFuture(failure)));
  }

  private static Future<Integer> insert(SqlConnection connection, String name) {
    return connection.preparedQuery(ProductSql.CREATE_BRAND).execute(Tuple.of(name))
      .map(rows -> rows.iterator().next().getInteger(0));
  }
}
