package org.concurrencylab.bff.shop;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The products service: every product, {@code [{product_id, product_name}]} as the book's
 * {@code SELECT product_id, product_name FROM product}. It keeps no data: each request asks the products
 * store ({@code products.list}, the {@code db} service, on this node or another).
 */
final class ProductsVerticle extends ShopServiceVerticle {

  /** The products store's address (the {@code db} service; a string, as services never import each other). */
  static final String PRODUCTS_LIST = "products.list";

  private long storeTimeoutMs;

  ProductsVerticle(Faults faults, ShopStats stats, int port, AtomicInteger actualPort) {
    super(ShopService.PRODUCTS, faults, stats, port, actualPort);
  }

  @Override
  protected Future<?> prepare() {
    storeTimeoutMs = config().getLong("request_timeout_ms", Bus.DEFAULT_TIMEOUT_MS);
    return Future.succeededFuture();
  }

  @Override
  protected Future<JsonObject> answer(Call call) {
    return Bus.<JsonObject>request(vertx, PRODUCTS_LIST, new JsonObject(), storeTimeoutMs)
      .map(reply -> {
        JsonArray rows = reply.getJsonArray("products");
        JsonArray products = new JsonArray(new java.util.ArrayList<>(rows.size()));
        for (int i = 0; i < rows.size(); i++) {
          JsonObject row = rows.getJsonObject(i);
          products.add(new JsonObject().put("product_id", row.getValue("product_id"))
            .put("product_name", row.getValue("product_name")));
        }
        return new JsonObject().put("products", products);
      })
      .recover(failure -> Future.failedFuture(Failure.of(failure) == Failure.INTERNAL
        ? Failure.UNAVAILABLE.exception("the products store failed: " + Failure.describe(failure))
        : failure));
  }

  @Override
  protected Object httpBody(JsonObject reply) {
    return reply.getJsonArray("products");
  }
}
