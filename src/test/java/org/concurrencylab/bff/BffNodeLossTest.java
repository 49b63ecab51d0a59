package org.concurrencylab.bff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node that runs the services dies while pages are being composed: the BFF on the other node still answers
 * each page within its deadline (nulls, or the documented 502 when products is gone), and serves full pages
 * again once the services run somewhere else, its breaker closing after its reset interval.
 */
class BffNodeLossTest {

  @Test
  void aServiceNodeKilledMidRequestThenBackElsewhere() {
    List<Vertx> cluster = TestCluster.form(2);
    Vertx front = cluster.get(0);
    Vertx dying = cluster.get(1);
    String database = TestDatabase.freshDatabase("bff_node_loss");
    try {
      BffLab bff = BffLab.start(front, "bff", new JsonObject().put("node_name", "bff-node"));
      BffLab services = BffLab.start(dying, "db,shop", new JsonObject().put("node_name", "doomed").put("db_url", database));
      Await.until(() -> Page.get(bff, "").status() == 200, Duration.ofSeconds(20), "a page across the cluster");

      // Inventory takes 600 ms, so a page's inventory calls are in flight when the node dies. The page asks for
      // inventory once products, favorites and cart have come back: the first inventory request the shop sees
      // says the page got that far, however long the first calls took on a loaded machine.
      services.faults("inventory", new JsonObject().put("slow_share", 1).put("slow_ms", 600));
      long inventoryAsked = inventoryRequests(services);
      CompletableFuture<Page> during = CompletableFuture.supplyAsync(() -> Page.get(bff, ""));
      Await.until(() -> inventoryRequests(services) > inventoryAsked, Duration.ofSeconds(10),
        "the page's inventory calls reach the node");
      TestCluster.crash(dying);

      Page hit = Await.result(Future.fromCompletionStage(during), Duration.ofSeconds(10));
      assertThat(hit.status()).isEqualTo(200);
      assertThat(hit.nulls()).as("every inventory call was in flight on the dead node").isEqualTo(1000);
      assertThat(hit.ms()).isLessThan(5_000L);

      Page gone = Page.get(bff, "");
      assertThat(gone.status()).as("no node serves products now").isIn(502, 504);
      assertThat(gone.ms()).isLessThan(5_000L);

      // The services come back on the BFF's node; once the breaker has closed again the pages are whole.
      BffLab.start(front, "db,shop", new JsonObject().put("node_name", "reborn").put("db_url", database));
      Await.until(() -> {
        Page page = Page.get(bff, "");
        return page.status() == 200 && page.nulls() == 0;
      }, Duration.ofSeconds(20), "full pages again");
      assertThat(bff.bffStats().getJsonObject("breaker").getString("state")).isEqualTo("closed");
    } finally {
      Await.result(dying.close().otherwiseEmpty(), Duration.ofSeconds(30));
      Await.result(front.close(), Duration.ofSeconds(30));
    }
  }

  /** The inventory requests the shop of {@code services} has been sent so far. */
  private static long inventoryRequests(BffLab services) {
    return services.status("shop").getJsonObject("stats").getJsonObject("services").getJsonObject("inventory")
      .getLong("requests");
  }
}
