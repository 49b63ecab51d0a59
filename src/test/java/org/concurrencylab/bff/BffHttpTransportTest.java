package org.concurrencylab.bff;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BFF with {@code bff_transport=http}: it reaches the services by their URLs only, as it would front the
 * Python ones. Here the shop's own HTTP ports, with faults that only HTTP has: a 500, a body that is not
 * JSON, a connection nobody accepts.
 */
class BffHttpTransportTest {

  private static final long DEADLINE_MS = 5_000;

  private static Vertx vertx;
  private static Vertx elsewhere;
  private static BffLab shop;
  private static BffLab bff;
  private static String bffToNowhere;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    shop = BffLab.start(vertx, "db,shop,http", new JsonObject().put("db_url", TestDatabase.freshDatabase("bff_http")));
    // 300 connections, not the default 1,000 (opening 1,000 at once is the bench's business), yet more than
    // the silent inventory calls of a test hold; and a longer deadline: over HTTP both sides of 1,000 calls
    // share this JVM, and on a loaded 2-core machine a page can outlast the 2 s of the bus tests.
    JsonObject urls = new JsonObject().put("bff_transport", "http").put("bff_breaker", false).put("bff_http_pool", 300)
      .put("bff_deadline_ms", DEADLINE_MS)
      .put("bff_products_url", shop.shopUrl("products")).put("bff_inventory_url", shop.shopUrl("inventory"))
      .put("bff_favorites_url", shop.shopUrl("favorites")).put("bff_cart_url", shop.shopUrl("cart"));
    bff = BffLab.start(vertx, "bff", urls);
    // The first pages open the pool's connections and warm the JIT; the tests below count nulls exactly.
    Await.until(() -> Page.get(bff, "").nulls() == 0, Duration.ofSeconds(60), "a whole page over HTTP");
    // A second BFF, on a Vert.x of its own (HTTP needs no shared bus), whose products URL is a port nobody
    // listens on.
    elsewhere = Vertx.vertx();
    int port = Ports.free();
    bffToNowhere = "http://127.0.0.1:" + port + "/products/all";
    Await.result(elsewhere.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(urls.copy()
      .put("services", "bff").put("bff_port", port).put("bff_products_url", "http://127.0.0.1:" + Ports.free()))));
  }

  @AfterAll
  static void stop() {
    Await.result(elsewhere.close());
    Await.result(vertx.close());
  }

  @AfterEach
  void clearFaults() {
    shop.clearFaults();
  }

  @Test
  void composesThePageOverHttp() {
    Page page = Page.get(bff, "?user_id=1");
    assertThat(page.status()).isEqualTo(200);
    assertThat(List.of(page.cartItems(), page.favoriteItems())).containsExactly(3, 3);
    assertThat(page.products()).hasSize(1000);
    assertThat(page.nulls()).isZero();
    assertThat(bff.bffStats().getJsonObject("settings").getString("transport")).isEqualTo("http");
  }

  @Test
  void productsAnswering500OrGarbageIsA502() {
    for (String mode : List.of("error", "garbage")) {
      shop.faults("products", new JsonObject().put("fail_share", 1).put("fail_with", mode));
      Page page = Page.get(bff, "");
      assertThat(page.status()).as(mode).isEqualTo(502);
      assertThat(page.json().getString("message")).as(mode)
        .contains(mode.equals("error") ? "HTTP 500" : "not JSON");
    }
  }

  @Test
  void productsNotAnsweringIsA504AndNobodyListeningA502() {
    shop.faults("products", new JsonObject().put("fail_share", 1).put("fail_with", "silence"));
    Page silent = Page.get(bff, "");
    assertThat(silent.status()).isEqualTo(504);
    assertThat(silent.ms()).isBetween(DEADLINE_MS, DEADLINE_MS + 3_000);

    Http.Response refused = Http.get(bffToNowhere);
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.json().getString("error")).isEqualTo("bad_gateway");
  }

  @Test
  void inventoryFaultsAreNulls() {
    shop.faults("inventory", new JsonObject().put("fail_share", 0.5));
    assertThat(Page.get(bff, "").nulls()).isEqualTo(500);
    shop.faults("inventory", new JsonObject().put("fail_share", 0.2).put("fail_with", "garbage"));
    assertThat(Page.get(bff, "").nulls()).isEqualTo(200);
    shop.faults("inventory", new JsonObject().put("fail_share", 0.1).put("fail_with", "silence"));
    Page someSilent = Page.get(bff, "");
    assertThat(someSilent.status()).isEqualTo(200);
    assertThat(someSilent.nulls()).isEqualTo(100);
  }

  @Test
  void cartRetriedOverHttp() {
    shop.faults("cart", new JsonObject().put("fail_share", 1));
    Page page = Page.get(bff, "?user_id=1");
    assertThat(page.cartItems()).isNull();
    assertThat(page.favoriteItems()).isEqualTo(3);
    shop.clearFaults();
    assertThat(Page.get(bff, "?user_id=1").cartItems()).isEqualTo(3);
  }
}
