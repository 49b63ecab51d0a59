package org.concurrencylab.mapreduce.job;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Across a cluster of three nodes (a coordinator and two map-worker nodes reading the same path): one worker
 * node is shut down in the middle of a job; its unanswered partitions are sent again to the other, and the
 * totals still equal expected.json.
 */
class ClusterWordCountTest {

  @TempDir
  static Path dir;
  private static List<Vertx> nodes;
  private static WordCountFiles ngrams;

  @BeforeAll
  static void formTheCluster() {
    ngrams = WordCountFiles.generate(dir, "cluster.tsv", 2_000_000, 11);
    nodes = TestCluster.form(3);
    CoordinatorSettings settings = CoordinatorSettings.from(new JsonObject().put("mapreduce_roots", dir.toString()),
      "node-0").withPartitionTimeoutMs(2_000).withInFlight(4);
    Await.result(new WordCountService(nodes.get(0), "node-0").deployCoordinator(settings, new JsonObject()));
    Await.result(new WordCountService(nodes.get(1), "node-1").deployWorkers(1, new JsonObject()));
    Await.result(new WordCountService(nodes.get(2), "node-2").deployWorkers(1, new JsonObject()));
  }

  @AfterAll
  static void closeTheCluster() {
    nodes.forEach(node -> Await.result(node.close(), Duration.ofSeconds(30)));
  }

  @Test
  void aWorkerNodeThatDiesMidJobLeavesTheTotalsExact() {
    Vertx coordinator = nodes.get(0);
    Vertx doomed = nodes.get(2);
    // Node 2 shuts down as its 20th partition arrives: mid-job whatever the machine's speed, and the
    // partitions sent to it after that are never answered.
    AtomicInteger received = new AtomicInteger();
    doomed.eventBus().addInboundInterceptor(delivery -> {
      if (WordCountAddresses.MAP.equals(delivery.message().address()) && received.incrementAndGet() == 20) {
        doomed.close();
      }
      delivery.next();
    });

    JsonObject result = Await.result(Bus.request(coordinator, WordCountAddresses.WORDCOUNT,
      new JsonObject().put("path", ngrams.file().toString()).put("partitionLines", 5_000), 120_000), Duration.ofSeconds(150));

    ngrams.assertMatches(result);
    JsonObject byWorker = result.getJsonObject("workers");
    assertThat(byWorker.fieldNames()).containsExactlyInAnyOrder("node-1#0", "node-2#0");
    assertThat(byWorker.getInteger("node-2#0")).as("node 2 answered only before it left")
      .isBetween(1, received.get());
    assertThat(byWorker.getInteger("node-1#0")).as("node 1 took the rest").isGreaterThan(received.get());
    assertThat(byWorker.getInteger("node-1#0") + byWorker.getInteger("node-2#0")).isEqualTo(result.getInteger("partitions"));
    assertThat(result.getInteger("partitions")).isGreaterThan(300);
  }
}
