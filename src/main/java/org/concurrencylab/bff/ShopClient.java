package org.concurrencylab.bff;

import io.vertx.core.Future;

import java.util.List;

/**
 * The four services as the backend-for-frontend sees them, over the bus or over HTTP. Each call gives up
 * after about {@code timeoutMs} (the caller keeps its own exact deadline); a reply that does not have the
 * book's shape fails with {@link BadReplyException}.
 */
interface ShopClient {

  /** Every product's id, in the order the products service lists them. */
  Future<List<Integer>> productIds(long timeoutMs);

  /** The product ids a user marked as favorites. */
  Future<List<Integer>> favorites(int userId, long timeoutMs);

  /** The product ids in a user's cart. */
  Future<List<Integer>> cart(int userId, long timeoutMs);

  /** A product's inventory count. */
  Future<Integer> inventory(int productId, long timeoutMs);

  Future<Void> close();
}
