package org.concurrencylab.bff;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Composes the book's {@code GET /products/all} page (listing 10.8 with 10.10's retries and 10.12's breaker):
 * <ol>
 *   <li>products, favorites and cart at once, waiting at most {@code deadline}: products still missing is a
 *       {@link Failure#TIMEOUT} (504), products failed a {@link Failure#BAD_GATEWAY} (502; the book says
 *       500, but the fault is upstream and a gateway says so with 502); favorites or cart missing or failed
 *       count as null;</li>
 *   <li>then one inventory call per product, {@code inventory_concurrency} at a time, through the breaker,
 *       within {@code deadline} more; a call that misses it or fails is {@code "inventory": null}.</li>
 * </ol>
 * The reply is {@code {cart_items, favorite_items, products: [{product_id, inventory}]}}.
 */
final class PageComposer {

  private static final Logger log = LoggerFactory.getLogger(PageComposer.class);

  private final Vertx vertx;
  private final ShopClient shop;
  private final BffSettings settings;
  private final InventoryBreaker breaker;
  private final BffStats stats;
  private final Retry retry;

  PageComposer(Vertx vertx, ShopClient shop, BffSettings settings, InventoryBreaker breaker, BffStats stats) {
    this.vertx = vertx;
    this.shop = shop;
    this.settings = settings;
    this.breaker = breaker;
    this.stats = stats;
    this.retry = new Retry(vertx, settings.retry(), stats.retries::increment);
  }

  /** The page for {@code userId}, or a failure with code 504 or 502. */
  Future<JsonObject> compose(int userId) {
    long deadline = settings.deadlineMs();
    Future<List<Integer>> products = shop.productIds(deadline);
    Future<List<Integer>> favorites = retry.run(timeout -> shop.favorites(userId, timeout));
    Future<List<Integer>> cart = retry.run(timeout -> shop.cart(userId, timeout));
    return settledWithin(deadline, products, favorites, cart).compose(v -> {
      if (!products.isComplete() || (products.failed() && isTimeout(products.cause()))) {
        log.warn("products service did not answer within {} ms", deadline);
        return Future.failedFuture(Failure.TIMEOUT.exception(
          "the products service did not answer within " + deadline + " ms"));
      }
      if (products.failed()) {
        log.warn("products service failed: {}", Failure.describe(products.cause()));
        return Future.failedFuture(Failure.BAD_GATEWAY.exception(
          "the products service failed: " + Failure.describe(products.cause())));
      }
      Integer cartItems = count(cart);
      Integer favoriteItems = count(favorites);
      if (cartItems == null) {
        stats.cartNull.increment();
      }
      if (favoriteItems == null) {
        stats.favoritesNull.increment();
      }
      List<Integer> ids = products.result();
      return inventories(ids).map(counts -> page(ids, counts, cartItems, favoriteItems));
    });
  }

  /** Completes when every call has settled or {@code ms} have passed, whichever comes first. */
  private Future<Void> settledWithin(long ms, Future<?>... calls) {
    Promise<Void> settled = Promise.promise();
    long timer = vertx.setTimer(ms, id -> settled.tryComplete());
    Future.join(List.of(calls)).onComplete(all -> {
      vertx.cancelTimer(timer);
      settled.tryComplete();
    });
    return settled.future();
  }

  private Future<Integer[]> inventories(List<Integer> ids) {
    long deadline = settings.deadlineMs();
    long deadlineAt = System.nanoTime() + deadline * 1_000_000;
    return InventoryFanout.run(vertx, ids, settings.inventoryConcurrency(), deadline, productId -> {
      long timeLeft = Math.max(1, (deadlineAt - System.nanoTime()) / 1_000_000);
      long timeout = breaker.callTimeoutMs(timeLeft);
      return breaker.call(() -> shop.inventory(productId, timeout));
    });
  }

  private JsonObject page(List<Integer> ids, Integer[] counts, Integer cartItems, Integer favoriteItems) {
    List<Object> records = new ArrayList<>(ids.size());
    int nulls = 0;
    for (int i = 0; i < ids.size(); i++) {
      records.add(new JsonObject().put("product_id", ids.get(i)).put("inventory", counts[i]));
      if (counts[i] == null) {
        nulls++;
      }
    }
    stats.inventory.add(ids.size());
    stats.inventoryNull.add(nulls);
    return new JsonObject()
      .put("cart_items", cartItems)
      .put("favorite_items", favoriteItems)
      .put("products", new JsonArray(records));
  }

  /** len() of a finished favorites or cart call, or null when it failed or is still pending. */
  private static Integer count(Future<List<Integer>> call) {
    return call.succeeded() ? call.result().size() : null;
  }

  static boolean isTimeout(Throwable failure) {
    return failure instanceof TimeoutException
      || (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT);
  }
}
