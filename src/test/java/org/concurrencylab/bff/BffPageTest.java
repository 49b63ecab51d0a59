package org.concurrencylab.bff;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /products/all} over the bus, on one node with the shop, with the breaker OFF (the peer's
 * --no-breaker) so that every inventory fault shows as exactly the nulls it causes; the breaker has its own test.
 */
class BffPageTest {

  private static Vertx vertx;
  private static BffLab lab;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    lab = BffLab.start(vertx, "db,shop,bff,http", new JsonObject().put("db_url", TestDatabase.freshDatabase("bff_page"))
      .put("bff_breaker", false));
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

  @Test
  void composesTheBooksPageForUser3() {
    Page page = Page.get(lab, "");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.json().fieldNames()).containsExactly("cart_items", "favorite_items", "products");
    assertThat(page.cartItems()).as("the book's user 3 has nothing in the cart").isZero();
    assertThat(page.favoriteItems()).isEqualTo(3);
    assertThat(page.productIds()).isEqualTo(IntStream.rangeClosed(1, 1000).boxed().toList());
    assertThat(page.nulls()).isZero();
    page.products().forEach(p -> {
      assertThat(((JsonObject) p).fieldNames()).containsExactly("product_id", "inventory");
      assertThat(((JsonObject) p).getInteger("inventory")).isBetween(0, 100);
    });
  }

  @Test
  void otherUsersAndUnknownUsers() {
    Page first = Page.get(lab, "?user_id=1");
    assertThat(List.of(first.cartItems(), first.favoriteItems())).containsExactly(3, 3);
    Page second = Page.get(lab, "?user_id=2");
    assertThat(List.of(second.cartItems(), second.favoriteItems())).containsExactly(3, 0);
    Page unknown = Page.get(lab, "?user_id=424242");
    assertThat(unknown.status()).isEqualTo(200);
    assertThat(List.of(unknown.cartItems(), unknown.favoriteItems())).containsExactly(0, 0);
  }

  @Test
  void badUserIdsAre400AndOtherPaths404() {
    for (String query : List.of("?user_id=abc", "?user_id=-3", "?user_id=0", "?user_id=99999999999", "?user_id=")) {
      Http.Response response = lab.page(query);
      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.json().getString("error")).isEqualTo("bad_request");
    }
    Http.Response elsewhere = Http.get(lab.pageUrl().replace("/products/all", "/products/1"));
    assertThat(elsewhere.status()).isEqualTo(404);
    assertThat(elsewhere.json().getString("error")).isEqualTo("not_found");
  }

  @Test
  void failingOrGarbageProductsIsA502() {
    for (String mode : List.of("error", "garbage")) {
      lab.faults("products", new JsonObject().put("fail_share", 1).put("fail_with", mode));
      Page page = Page.get(lab, "");
      assertThat(page.status()).as(mode).isEqualTo(502);
      assertThat(page.error()).isEqualTo("bad_gateway");
      assertThat(page.json().getString("message")).startsWith("the products service failed");
    }
    assertThat(lab.bffStats().getJsonObject("statuses").getLong("502")).isGreaterThanOrEqualTo(2);
  }

  /** Products that never answer: a 504 once the deadline has passed, not a hang. */
  @Test
  void silentProductsIsA504AtTheDeadline() {
    lab.faults("products", new JsonObject().put("fail_share", 1).put("fail_with", "silence"));
    Page page = Page.get(lab, "");
    assertThat(page.status()).isEqualTo(504);
    assertThat(page.error()).isEqualTo("timeout");
    assertThat(page.ms()).isBetween(BffLab.DEADLINE_MS, BffLab.DEADLINE_MS + 3_000);
  }

  /** The book's retry: one failed attempt of favorites is retried and the page has its count. */
  @Test
  void aFailedFavoritesAttemptIsRetried() {
    // Every second request fails: page 1's attempt is request 1 (answered), page 2's first attempt is
    // request 2 (fails), its retry request 3 (answered).
    lab.faults("favorites", new JsonObject().put("fail_share", 0.5));
    long retriesBefore = lab.bffStats().getLong("retries");
    assertThat(Page.get(lab, "").favoriteItems()).isEqualTo(3);
    assertThat(Page.get(lab, "").favoriteItems()).isEqualTo(3);
    assertThat(lab.bffStats().getLong("retries") - retriesBefore).isEqualTo(1);
  }

  /** Three failed attempts (an error, or no answer within the attempt's timeout) make the count null; the page is still served. */
  @Test
  void favoritesAndCartGiveUpAfterThreeAttempts() {
    lab.faults("favorites", new JsonObject().put("fail_share", 1));
    lab.faults("cart", new JsonObject().put("slow_share", 1).put("slow_ms", 3 * BffLab.RETRY_TIMEOUT_MS));
    long retriesBefore = lab.bffStats().getLong("retries");
    Page page = Page.get(lab, "");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.favoriteItems()).isNull();
    assertThat(page.cartItems()).isNull();
    assertThat(page.nulls()).isZero();
    assertThat(lab.bffStats().getLong("retries") - retriesBefore).isEqualTo(6);
  }

  @Test
  void failedInventoryCallsAreNullsNotErrors() {
    lab.faults("inventory", new JsonObject().put("fail_share", 0.25));
    Page failing = Page.get(lab, "");
    assertThat(failing.status()).isEqualTo(200);
    assertThat(failing.nulls()).isEqualTo(250);

    lab.faults("inventory", new JsonObject().put("fail_share", 0.1).put("fail_with", "garbage"));
    assertThat(Page.get(lab, "").nulls()).isEqualTo(100);
  }

  /** Without a breaker nothing fails fast: a page after the fault is cleared has every count again. */
  @Test
  void silentInventoryGivesNullsWithinTheDeadlineAndNoBreakerRemembersIt() {
    lab.faults("inventory", new JsonObject().put("fail_share", 1).put("fail_with", "silence"));
    Page silent = Page.get(lab, "");
    assertThat(silent.status()).isEqualTo(200);
    assertThat(silent.nulls()).isEqualTo(1000);
    assertThat(silent.ms()).isBetween(BffLab.DEADLINE_MS, BffLab.DEADLINE_MS + 4_000);
    lab.clearFaults();
    assertThat(Page.get(lab, "").nulls()).isZero();
    assertThat(lab.bffStats().getJsonObject("breaker").getString("state")).isEqualTo("disabled");
  }
}
