package org.concurrencylab.bff;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Http;

import java.util.ArrayList;
import java.util.List;

/** One answer of {@code GET /products/all}, read the way a front end would, with how long it took. */
record Page(int status, JsonObject json, long ms) {

  static Page get(BffLab lab, String query) {
    long started = System.nanoTime();
    Http.Response response = lab.page(query);
    return new Page(response.status(), response.json(), (System.nanoTime() - started) / 1_000_000);
  }

  Integer cartItems() {
    return json.getInteger("cart_items");
  }

  Integer favoriteItems() {
    return json.getInteger("favorite_items");
  }

  JsonArray products() {
    return json.getJsonArray("products");
  }

  List<Integer> productIds() {
    List<Integer> ids = new ArrayList<>();
    products().forEach(p -> ids.add(((JsonObject) p).getInteger("product_id")));
    return ids;
  }

  long nulls() {
    return products().stream().filter(p -> ((JsonObject) p).getValue("inventory") == null).count();
  }

  String error() {
    return json.getString("error");
  }
}
