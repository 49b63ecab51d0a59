package org.concurrencylab.bff.shop;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bff.BffLab;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shop's four services as a client of the book's services sees them (HTTP, the book's URLs and JSON) and
 * as a lab service sees them (the bus), with faults switched on and off while they run.
 */
class ShopServicesTest {

  private static Vertx vertx;
  private static BffLab lab;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    lab = BffLab.start(vertx, "db,shop,http", new JsonObject().put("db_url", TestDatabase.freshDatabase("shop")));
  }

  @AfterAll
  static void stop() {
    lab.close();
    Await.result(vertx.close());
  }

  @AfterEach
  void clearFaults() {
    lab.clearFaults();
  }

  private static Http.Response get(String service, String path) {
    return Http.get(lab.shopUrl(service) + path);
  }

  private static JsonObject ask(String address, JsonObject body) {
    return Await.result(Bus.request(vertx, address, body));
  }

  private static Throwable refusal(String address, JsonObject body, long timeoutMs) {
    return Await.failure(Bus.request(vertx, address, body, timeoutMs), Duration.ofSeconds(10));
  }

  @Test
  void answersWithTheBooksUrlsAndJson() {
    JsonArray products = get("products", "/products").jsonArray();
    assertThat(products).hasSize(1000);
    assertThat(products.getJsonObject(0).fieldNames()).containsExactly("product_id", "product_name");
    assertThat(products.getJsonObject(999).getInteger("product_id")).isEqualTo(1000);

    JsonObject inventory = get("inventory", "/products/5/inventory").json();
    assertThat(inventory.fieldNames()).containsExactly("inventory");
    assertThat(inventory.getInteger("inventory")).isBetween(0, 100);

    // The book's rows: favorites (1,1..3), (3,1..3); cart (1,1..3), (2,1), (2,2), (2,5).
    assertThat(get("favorites", "/users/3/favorites").body()).isEqualTo("[{\"product_id\":1},{\"product_id\":2},{\"product_id\":3}]");
    assertThat(get("cart", "/users/2/cart").body()).isEqualTo("[{\"product_id\":1},{\"product_id\":2},{\"product_id\":5}]");
    assertThat(get("cart", "/users/3/cart").jsonArray()).isEmpty();
    assertThat(get("favorites", "/users/99999/favorites").jsonArray()).as("an unknown user has none").isEmpty();
  }

  @Test
  void theSameAnswersOnTheBus() {
    assertThat(ask("shop.products", new JsonObject()).getJsonArray("products")).hasSize(1000);
    assertThat(ask("shop.inventory", new JsonObject().put("product_id", 7)).getInteger("inventory")).isBetween(0, 100);
    assertThat(ask("shop.favorites", new JsonObject().put("user_id", 1)).getJsonArray("favorites")).hasSize(3);
    assertThat(ask("shop.cart", new JsonObject().put("user_id", 2)).getJsonArray("cart"))
      .containsExactly(new JsonObject().put("product_id", 1), new JsonObject().put("product_id", 2),
        new JsonObject().put("product_id", 5));
  }

  @Test
  void badIdsAre400sWithAJsonError() {
    for (String path : List.of("/users/abc/cart", "/users/-1/cart", "/users/0/cart", "/users/99999999999/cart")) {
      Http.Response response = get("cart", path);
      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.json().getString("error")).isEqualTo("bad_request");
    }
    assertThat(get("inventory", "/products/x/inventory").status()).isEqualTo(400);
    assertThat(get("inventory", "/products/1/inventory?delay_ms=soon").status()).isEqualTo(400);
    assertThat(get("cart", "/nowhere").status()).isEqualTo(404);
    for (JsonObject body : List.of(new JsonObject(), new JsonObject().put("user_id", "3"), new JsonObject().put("user_id", 0))) {
      Throwable failure = refusal("shop.favorites", body, 5_000);
      assertThat(Failure.of(failure)).as(body.encode()).isEqualTo(Failure.BAD_REQUEST);
    }
    assertThat(Failure.of(refusal("shop.inventory", new JsonObject().put("product_id", 1.5), 5_000)))
      .isEqualTo(Failure.BAD_REQUEST);
  }

  /** The peer's per-request knobs work here too, so the peer BFF's tests run against the lab's services. */
  @Test
  void thePeersQueryKnobsWork() {
    Http.Response failed = get("products", "/products?fail=1");
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.json().getString("message")).contains("failed on purpose");
    long started = System.nanoTime();
    assertThat(get("favorites", "/users/1/favorites?delay_ms=300").jsonArray()).hasSize(3);
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(300);
  }

  @Test
  void aShareOfRequestsFailsExactlyAndStopsWhenCleared() {
    lab.faults("inventory", new JsonObject().put("fail_share", 0.25));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      statuses.add(get("inventory", "/products/" + (i + 1) + "/inventory").status());
    }
    assertThat(statuses).containsExactly(200, 200, 200, 500, 200, 200, 200, 500);
    lab.clearFaults();
    assertThat(get("inventory", "/products/1/inventory").status()).isEqualTo(200);
    JsonObject stats = lab.status("shop").getJsonObject("stats").getJsonObject("services").getJsonObject("inventory");
    assertThat(stats.getLong("failed_on_purpose")).isEqualTo(2);
  }

  @Test
  void garbageIsNotJson() {
    lab.faults("products", new JsonObject().put("fail_share", 1).put("fail_with", "garbage"));
    Http.Response response = get("products", "/products");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThatThrownBy(response::jsonArray)
      .isInstanceOf(io.vertx.core.json.DecodeException.class);
    // On the bus, garbage is a reply that is not a JSON object.
    Object reply = Await.result(Bus.request(vertx, "shop.products", new JsonObject()));
    assertThat(reply).isInstanceOf(String.class);
  }

  @Test
  void silenceNeverAnswersAndSlowAnswersLate() {
    lab.faults("cart", new JsonObject().put("fail_share", 1).put("fail_with", "silence"));
    Throwable failure = refusal("shop.cart", new JsonObject().put("user_id", 1), 300);
    assertThat(Failure.of(failure)).isEqualTo(Failure.TIMEOUT);
    HttpRequest request = HttpRequest.newBuilder(URI.create(lab.shopUrl("cart") + "/users/1/cart"))
      .timeout(Duration.ofMillis(300)).GET().build();
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()))
      .isInstanceOf(HttpTimeoutException.class);

    lab.faults("cart", new JsonObject().put("slow_share", 0.5).put("slow_ms", 400));
    long[] ms = new long[2];
    for (int i = 0; i < 2; i++) {
      long started = System.nanoTime();
      assertThat(ask("shop.cart", new JsonObject().put("user_id", 1)).getJsonArray("cart")).hasSize(3);
      ms[i] = (System.nanoTime() - started) / 1_000_000;
    }
    assertThat(ms[1]).as("the second request, half of two, is the slow one").isGreaterThanOrEqualTo(400);
  }

  @Test
  void faultsAreReadAndChangedOverTheAdminRoute() {
    Http.Response set = Http.send(HttpRequest.newBuilder(URI.create(lab.http("/shop/faults/favorites")))
      .PUT(HttpRequest.BodyPublishers.ofString("{\"fail_share\": 1, \"fail_with\": \"error\"}")));
    assertThat(set.status()).isEqualTo(200);
    assertThat(set.json().getJsonObject("faults").getJsonObject("favorites").getDouble("fail_share")).isEqualTo(1.0);
    assertThat(get("favorites", "/users/1/favorites").status()).isEqualTo(500);
    assertThat(Failure.of(refusal("shop.favorites", new JsonObject().put("user_id", 1), 5_000))).isEqualTo(Failure.INTERNAL);

    Http.Response bad = Http.send(HttpRequest.newBuilder(URI.create(lab.http("/shop/faults/favorites")))
      .PUT(HttpRequest.BodyPublishers.ofString("{\"fail_share\": 2}")));
    assertThat(bad.status()).isEqualTo(400);
    Http.Response unknown = Http.send(HttpRequest.newBuilder(URI.create(lab.http("/shop/faults/wishlist")))
      .PUT(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(unknown.status()).isEqualTo(400);
    Http.Response notJson = Http.send(HttpRequest.newBuilder(URI.create(lab.http("/shop/faults/cart")))
      .PUT(HttpRequest.BodyPublishers.ofString("fail all")));
    assertThat(notJson.status()).isEqualTo(400);

    Http.Response cleared = Http.send(HttpRequest.newBuilder(URI.create(lab.http("/shop/faults"))).DELETE());
    assertThat(cleared.json().getJsonObject("faults").getJsonObject("favorites").getDouble("fail_share")).isZero();
    assertThat(Http.get(lab.http("/shop/faults")).json().getJsonObject("faults").fieldNames())
      .containsExactly("products", "inventory", "favorites", "cart");
    assertThat(get("favorites", "/users/1/favorites").status()).isEqualTo(200);
  }

  @Test
  void healthShowsTheShopWithItsFourUrls() {
    JsonObject shop = Http.get(lab.http("/health")).json().getJsonObject("services").getJsonObject("shop");
    assertThat(shop.getString("state")).isEqualTo("up");
    assertThat(shop.getJsonArray("endpoints")).hasSize(4);
    assertThat(shop.getJsonObject("stats").getJsonObject("services").fieldNames())
      .containsExactly("products", "inventory", "favorites", "cart");
  }
}
