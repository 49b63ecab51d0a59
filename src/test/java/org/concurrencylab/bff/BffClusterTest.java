package org.concurrencylab.bff;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.TestCluster;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The BFF on cluster node 1, the shop and the products store on node 0: every call crosses the cluster's bus. */
class BffClusterTest {

  private static BffLab services;
  private static BffLab front;

  @BeforeAll
  static void start() {
    services = BffLab.start(TestCluster.node(0), "db,shop", new JsonObject().put("node_name", "services-node")
      .put("db_url", TestDatabase.freshDatabase("bff_cluster")));
    front = BffLab.start(TestCluster.node(1), "bff,http", new JsonObject().put("node_name", "bff-node"));
  }

  @AfterAll
  static void stop() {
    front.close();
    services.close();
  }

  @Test
  void theBffOnOneNodeComposesFromServicesOnTheOther() {
    // The first cross-node requests may find the other node's consumers not yet known, and a cold first page
    // may open the breaker (it closes again after its 1 s reset): wait for a whole page.
    Await.until(() -> {
      Page page = Page.get(front, "");
      return page.status() == 200 && page.nulls() == 0;
    }, Duration.ofSeconds(30), "a whole page composed across the cluster");
    Page page = Page.get(front, "?user_id=1");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.products()).hasSize(1000);
    assertThat(page.nulls()).isZero();
    assertThat(page.cartItems()).isEqualTo(3);

    JsonObject health = Http.get(front.http("/health")).json().getJsonObject("services");
    assertThat(health.getJsonObject("shop").getString("node")).isEqualTo("services-node");
    assertThat(health.getJsonObject("bff").getString("node")).isEqualTo("bff-node");
    assertThat(health.getJsonObject("bff").getJsonObject("stats").getJsonObject("breaker").getString("state"))
      .isEqualTo("closed");
  }
}
