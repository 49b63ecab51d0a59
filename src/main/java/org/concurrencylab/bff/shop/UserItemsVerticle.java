package org.concurrencylab.bff.shop;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.database.Databases;
import org.concurrencylab.database.Migrations;
import org.concurrencylab.spi.StartupException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The favorites and cart services: a user's product ids, {@code [{product_id}]}, from the book's tables
 * {@code user_favorite} and {@code user_cart} (migrations {@code db/bff/V1.sql}, which also insert the book's
 * rows). A user with no rows gets {@code []}, as in the book.
 */
final class UserItemsVerticle extends ShopServiceVerticle {

  /** The migration set of the shop's tables: {@code db/bff/V1.sql}, ... */
  static final String MIGRATIONS = "bff";
  /** Connections per instance: each request is one short query. */
  static final int POOL_SIZE = 2;

  private final String sql;
  private Pool pool;

  /** @param service {@link ShopService#FAVORITES} or {@link ShopService#CART} */
  UserItemsVerticle(ShopService service, Faults faults, ShopStats stats, int port, AtomicInteger actualPort) {
    super(service, faults, stats, port, actualPort);
    String table = service == ShopService.FAVORITES ? "user_favorite" : "user_cart";
    this.sql = "SELECT product_id FROM " + table + " WHERE user_id = $1 ORDER BY product_id";
  }

  @Override
  protected Future<?> prepare() {
    pool = Databases.pool(vertx, config(), POOL_SIZE);
    // Idempotent and serialised by an advisory lock: every instance may run it.
    return Migrations.apply(pool, MIGRATIONS).recover(failure -> Future.failedFuture(new StartupException("db_url",
      "cannot prepare the " + service.label() + " tables (" + Failure.describe(failure) + ")")));
  }

  @Override
  protected Future<?> release() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  @Override
  protected Future<JsonObject> answer(Call call) {
    return pool.preparedQuery(sql).execute(Tuple.of(call.id()))
      .map(rows -> {
        JsonArray items = new JsonArray();
        for (Row row : rows) {
          items.add(new JsonObject().put("product_id", row.getInteger(0)));
        }
        return new JsonObject().put(service.label(), items);
      })
      .recover(failure -> Future.failedFuture(
        Failure.UNAVAILABLE.exception("the " + service.label() + " database is unavailable: " + Failure.describe(failure))));
  }

  @Override
  protected Object httpBody(JsonObject reply) {
    return reply.getJsonArray(service.label());
  }
}
