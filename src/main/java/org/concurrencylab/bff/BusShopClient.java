package org.concurrencylab.bff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;

import java.util.List;

/**
 * The services over the event bus ({@code shop.*}), on this node or any other of the cluster. No connection
 * pool to size and no JSON text to parse: local replies arrive as objects, remote ones over the cluster's
 * TCP connections.
 */
final class BusShopClient implements ShopClient {

  // The shop's addresses, as strings: services never import each other's packages.
  static final String PRODUCTS = "shop.products";
  static final String INVENTORY = "shop.inventory";
  static final String FAVORITES = "shop.favorites";
  static final String CART = "shop.cart";

  private static final JsonObject EMPTY = new JsonObject();

  private final Vertx vertx;

  BusShopClient(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<List<Integer>> productIds(long timeoutMs) {
    return ask(PRODUCTS, EMPTY, timeoutMs).map(reply -> ShopReplies.productIds(reply.getValue("products"), "products"));
  }

  @Override
  public Future<List<Integer>> favorites(int userId, long timeoutMs) {
    return ask(FAVORITES, new JsonObject().put("user_id", userId), timeoutMs)
      .map(reply -> ShopReplies.productIds(reply.getValue("favorites"), "favorites"));
  }

  @Override
  public Future<List<Integer>> cart(int userId, long timeoutMs) {
    return ask(CART, new JsonObject().put("user_id", userId), timeoutMs)
      .map(reply -> ShopReplies.productIds(reply.getValue("cart"), "cart"));
  }

  @Override
  public Future<Integer> inventory(int productId, long timeoutMs) {
    return ask(INVENTORY, new JsonObject().put("product_id", productId), timeoutMs).map(ShopReplies::inventory);
  }

  private Future<JsonObject> ask(String address, JsonObject body, long timeoutMs) {
    return Bus.request(vertx, address, body, Math.max(1, timeoutMs))
      .map(reply -> {
        if (reply instanceof JsonObject json) {
          return json;
        }
        throw new BadReplyException(address + " did not answer a JSON object");
      });
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
