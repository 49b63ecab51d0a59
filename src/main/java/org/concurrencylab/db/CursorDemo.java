package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code demo db-cursor}: the book's listings 5.14-5.17. A server-side cursor moves forward 500 products and
 * fetches the next 100; then {@code take(5)} reads five rows from a stream over every product and closes
 * it, so the other 995 are never sent.
 */
final class CursorDemo implements Demo {

  @Override
  public String name() {
    return "db-cursor";
  }

  @Override
  public String summary() {
    return "5.14-5.17: a cursor moves forward 500 rows and fetches 100; take(5) over a row stream";
  }

  @Override
  public Future<JsonObject> run(DemoContext context) {
    return CommandDatabase.withPool(context.vertx(), context.config(), 1, context::say, pool ->
      ProductSeeder.seedIfEmpty(pool, context.config().getInteger("db_seed", 42))
        .compose(seeded -> forwardThenFetch(pool, context))
        .compose(fetched -> takeFive(pool, context).map(taken -> new JsonObject()
          .put("fetched", fetched).put("taken", taken))));
  }

  /** Listing 5.16: cursors live inside a transaction; {@code forward(500)} is a read we throw away. */
  private static Future<Integer> forwardThenFetch(Pool pool, DemoContext context) {
    return pool.withTransaction(connection -> connection.prepare(ProductSql.PRODUCTS).compose(statement -> {
      var cursor = statement.cursor();
      return cursor.read(500)
        .compose(skipped -> cursor.read(100))
        .compose(rows -> {
          Row first = rows.iterator().hasNext() ? rows.iterator().next() : null;
          context.say("Cursor: skipped 500 products, fetched %d; the first is product %s: %s", rows.size(),
            first == null ? "-" : first.getInteger("product_id"), first == null ? "-" : first.getString("product_name"));
          return cursor.close().map(rows.size());
        });
    }));
  }

  /** Listing 5.17: {@code take(generator, 5)} over a stream that would otherwise read every product. */
  private static Future<JsonArray> takeFive(Pool pool, DemoContext context) {
    return pool.withTransaction(connection -> connection.prepare(ProductSql.PRODUCTS)
      .compose(statement -> take(statement.createStream(50), 5)))
      .map(rows -> {
        JsonArray taken = new JsonArray();
        context.say("take(5) from a stream over all products:");
        for (Row row : rows) {
          context.say("  %4d  %s", row.getInteger("product_id"), row.getString("product_name"));
          taken.add(row.toJson());
        }
        return taken;
      });
  }

  /** The first {@code count} items of a stream, which is closed as soon as they are in. */
  static <T> Future<List<T>> take(RowStream<T> stream, int count) {
    Promise<List<T>> taken = Promise.promise();
    List<T> items = new ArrayList<>(count);
    stream.exceptionHandler(taken::tryFail);
    stream.endHandler(v -> taken.tryComplete(items));
    stream.handler(item -> {
      if (items.size() < count) {
        items.add(item);
      }
      if (items.size() == count) {
        stream.pause();
        stream.close().onComplete(v -> taken.tryComplete(items));
      }
    });
    return taken.future();
  }
}
