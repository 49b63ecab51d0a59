package org.concurrencylab.db;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.List;

/**
 * {@code demo db-transactions}: the book's listings 5.9-5.12. Two inserts commit together; a duplicate key
 * rolls back the insert before it too; inside savepoints a failing insert is undone alone. Each step reads the
 * table back to show what was kept, and the demo deletes the brands it created at the end.
 */
final class TransactionsDemo implements Demo {

  /** The id the book's 5.9 inserts twice. */
  static final int DUPLICATE_ID = 9_999;

  @Override
  public String name() {
    return "db-transactions";
  }

  @Override
  public String summary() {
    return "5.9-5.12: commit, rollback on a duplicate key, and savepoints that undo only the failing insert";
  }

  @Override
  public Future<JsonObject> run(DemoContext context) {
    JsonObject result = new JsonObject();
    return CommandDatabase.withPool(context.vertx(), context.config(), 2, context::say, pool ->
      ProductSeeder.seedIfEmpty(pool, context.config().getInteger("db_seed", 42))
        .compose(seeded -> pool.withTransaction(connection -> BrandImport.allOrNothing(connection,
          List.of("brand_1", "brand_2"))))
        .compose(committed -> {
          JsonArray ids = committed.getJsonArray("brand_ids");
          context.say("5.9  two inserts in one transaction: committed as brands %s", ids);
          result.put("committed", ids);
          return pool.withTransaction(connection -> connection.preparedQuery(ProductSql.CREATE_BRAND_WITH_ID)
              .execute(Tuple.of(DUPLICATE_ID, "big_brand"))
              .compose(v -> connection.preparedQuery(ProductSql.CREATE_BRAND_WITH_ID)
                .execute(Tuple.of(DUPLICATE_ID, "big_brand"))))
            .transform(outcome -> brandsWithIds(pool, List.of(DUPLICATE_ID)).map(kept -> {
              context.say("5.10 brand %d twice in one transaction: %s; rows with id %d now: %d", DUPLICATE_ID,
                outcome.failed() ? "failed (" + Failure.describe(StoreFailures.toBus(outcome.cause())) + "), rolled back"
                  : "committed?!", DUPLICATE_ID, kept.size());
              result.put("duplicate_rows_kept", kept.size());
              return null;
            }));
        })
        .compose(v -> pool.withConnection(connection -> BrandImport.skippingFailures(connection,
          List.of("my_new_brand", "bad\u0000brand"))))
        .compose(partial -> {
          context.say("5.11 savepoints: brand ids %s; skipped %s", partial.getJsonArray("brand_ids"),
            partial.getJsonArray("skipped"));
          result.put("savepoint", partial);
          JsonArray created = result.getJsonArray("committed").copy();
          partial.getJsonArray("brand_ids").stream().filter(id -> id != null).forEach(created::add);
          return pool.preparedQuery(ProductSql.DELETE_BRANDS).execute(Tuple.tuple().addValue(created.stream()
              .map(Integer.class::cast).toArray(Integer[]::new)))
            .map(deleted -> {
              context.say("Removed the %d brands this demo created.", deleted.rowCount());
              return result;
            });
        }));
  }

  private static Future<JsonArray> brandsWithIds(Pool pool, List<Integer> ids) {
    return pool.preparedQuery(ProductSql.BRAND_NAMES_BY_ID).execute(Tuple.tuple().addValue(ids.toArray(Integer[]::new)))
      .map(ProductStore::toJson);
  }
}
