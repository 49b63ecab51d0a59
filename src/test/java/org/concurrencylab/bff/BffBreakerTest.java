package org.concurrencylab.bff;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker around inventory (timeout 1 s, 3 failures, reset after 1 s here): it opens when
 * inventory stops answering, then spares the service, shows its state on the bus and in /health, and closes
 * again once inventory answers.
 */
class BffBreakerTest {

  private static Vertx vertx;
  private static BffLab lab;
  private static final List<String> changes = new CopyOnWriteArrayList<>();
  private static MessageConsumer<JsonObject> listener;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    listener = vertx.eventBus().consumer("bff.breaker.changed", message -> changes.add(message.body().getString("state")));
    Await.result(listener.completion());
    lab = BffLab.start(vertx, "db,shop,bff,http", new JsonObject().put("db_url", TestDatabase.freshDatabase("bff_breaker")));
  }

  @AfterAll
  static void stop() {
    lab.close();
    Await.result(vertx.close());
  }

  private static long inventoryRequestsSeenByTheShop() {
    return lab.status("shop").getJsonObject("stats").getJsonObject("services").getJsonObject("inventory")
      .getLong("requests");
  }

  private static JsonObject breaker() {
    return lab.bffStats().getJsonObject("breaker");
  }

  @Test
  void opensWhenInventoryIsSilentSparesItAndClosesWhenItAnswersAgain() {
    assertThat(Page.get(lab, "").nulls()).isZero();
    assertThat(breaker().getString("state")).isEqualTo("closed");

    // Inventory stops answering: the page still comes, with nulls, and the circuit opens.
    lab.faults("inventory", new JsonObject().put("fail_share", 1).put("fail_with", "silence"));
    Page silent = Page.get(lab, "");
    assertThat(silent.status()).isEqualTo(200);
    assertThat(silent.nulls()).isEqualTo(1000);
    Await.until(() -> changes.contains("open"), Duration.ofSeconds(5), "the breaker announces it opened");
    JsonObject open = breaker();
    assertThat(open.getString("state")).isEqualTo("open");
    assertThat(open.getLong("opened")).isEqualTo(1);
    JsonObject health = Http.get(lab.http("/health")).json().getJsonObject("services").getJsonObject("bff");
    assertThat(health.getJsonObject("stats").getJsonObject("breaker").getString("state")).isEqualTo("open");

    // While open, calls fail fast: the page is all nulls at once and the service is not even asked.
    long seen = inventoryRequestsSeenByTheShop();
    long fastFails = breaker().getLong("fast_fails");
    Page spared = Page.get(lab, "");
    assertThat(spared.nulls()).isEqualTo(1000);
    assertThat(breaker().getLong("fast_fails") - fastFails).isEqualTo(1000);
    assertThat(inventoryRequestsSeenByTheShop()).isEqualTo(seen);

    // Inventory answers again; after the reset interval the breaker half-opens, one trial call succeeds
    // and closes it, and the pages after that have every count.
    lab.clearFaults();
    Await.until(() -> changes.contains("half-open"), Duration.ofSeconds(10), "the breaker half-opens after its reset");
    Page trial = Page.get(lab, "");
    assertThat(trial.status()).isEqualTo(200);
    assertThat(trial.nulls()).as("half-open lets one call through; the others of the page still fail fast")
      .isLessThan(1000);
    Await.until(() -> changes.contains("closed"), Duration.ofSeconds(5), "the breaker closes");
    assertThat(Page.get(lab, "").nulls()).isZero();
    assertThat(breaker().getString("state")).isEqualTo("closed");
    assertThat(changes).containsSubsequence("open", "half-open", "closed");
  }

  /** Failures with successes between them never open Vert.x's breaker: each success resets its count. */
  @Test
  void scatteredFailuresDoNotOpenIt() {
    long opened = breaker().getLong("opened");
    lab.faults("inventory", new JsonObject().put("fail_share", 0.25));
    try {
      Page page = Page.get(lab, "");
      assertThat(page.nulls()).isEqualTo(250);
      assertThat(breaker().getString("state")).isEqualTo("closed");
      assertThat(breaker().getLong("opened")).isEqualTo(opened);
    } finally {
      lab.clearFaults();
    }
  }
}
