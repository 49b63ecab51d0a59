package org.concurrencylab.fetch;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.fetch.stub.StubModule;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The fetch service and the stub on one cluster node, called from the other: results cross the cluster. */
class FetchClusterTest {

  @Test
  void aCallerOnAnotherNodeGetsTheReplyAndThePublishedResults() {
    Vertx serviceNode = TestCluster.node(0);
    Vertx callerNode = TestCluster.node(1);
    java.util.Set<String> before = java.util.Set.copyOf(serviceNode.deploymentIDs());
    ModuleContext context = new ModuleContext(serviceNode, new JsonObject().put("host", "127.0.0.1")
      .put("stub_port", 0).put("fetch_allow_hosts", "127.0.0.1"), "node-0", List.of(), List.of("fetch", "stub"));
    int stubPort = Await.result(StubModule.deploy(context, 1));
    Await.result(FetchModule.deploy(context, 1));
    List<JsonObject> landed = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> results = callerNode.eventBus().consumer("test.cluster.fetch", m -> landed.add(m.body()));
    try {
      Await.result(results.completion());
      String stub = "http://127.0.0.1:" + stubPort + "/";
      JsonObject call = new JsonObject().put("mode", "as-completed").put("publish", "test.cluster.fetch")
        .put("urls", new JsonArray().add(stub + "?delay_ms=300").add(stub).add("python://bad"));

      // The first request across a fresh cluster may find no handler yet: retry until the service is seen.
      JsonObject reply = retry(() -> Bus.request(callerNode, FetchVerticle.RUN, call, 10_000));

      assertThat(reply.getJsonObject("totals").getInteger("ok")).isEqualTo(2);
      assertThat(reply.getJsonArray("results").getJsonObject(2).getInteger("index")).isEqualTo(0);
      Await.until(() -> landed.size() >= 3, Duration.ofSeconds(10), "three results published across the cluster");
      assertThat(landed).extracting(r -> r.getInteger("index")).containsExactlyInAnyOrder(0, 1, 2);
    } finally {
      results.unregister();
      // Leave the shared cluster as it was: undeploy the stub and the fetch service.
      for (String id : serviceNode.deploymentIDs()) {
        if (!before.contains(id)) {
          Await.result(serviceNode.undeploy(id));
        }
      }
    }
  }

  private static JsonObject retry(java.util.function.Supplier<io.vertx.core.Future<JsonObject>> call) {
    AssertionError last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        return Await.result(call.get(), Duration.ofSeconds(15));
      } catch (AssertionError e) {
        last = e;
        try {
          Thread.sleep(250);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }
}
