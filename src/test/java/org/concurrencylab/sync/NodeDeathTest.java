package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.core.internal.VertxInternal;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that dies while holding a lock and semaphore permits: once the cluster notices, the survivor's
 * waiters get them. The node is killed by terminating its Hazelcast member (no goodbye, as in a crash).
 */
class NodeDeathTest {

  private static List<Vertx> nodes;

  @BeforeAll
  static void form() {
    nodes = TestCluster.form(2);
  }

  @AfterAll
  static void close() {
    nodes.get(0).close(); // its member is gone already; this only stops its threads
    Await.result(nodes.get(1).close(), Duration.ofSeconds(20));
  }

  @Test
  void theLockAndPermitsOfANodeThatDiesGoToTheWaitersOfTheSurvivor() {
    Primitives doomed = Await.result(Primitives.clustered(nodes.get(0)));
    Primitives survivor = Await.result(Primitives.clustered(nodes.get(1)));
    Await.result(doomed.lock("orders").acquire(Duration.ofSeconds(10)));
    Semaphore doomedPermits = doomed.semaphore("api", 2);
    Await.result(Future.all(doomedPermits.acquire(Duration.ofSeconds(10)), doomedPermits.acquire(Duration.ofSeconds(10))));

    Future<Void> lockWait = survivor.lock("orders").acquire(Duration.ofSeconds(60));
    Future<Void> permitWait = survivor.semaphore("api", 2).acquire(Duration.ofSeconds(60));
    assertThat(Await.failure(survivor.lock("orders").acquire(Duration.ofMillis(200)), Duration.ofSeconds(10)))
      .hasMessageContaining("timed out");

    HazelcastClusterManager manager = (HazelcastClusterManager) ((VertxInternal) nodes.get(0)).clusterManager();
    manager.getHazelcastInstance().getLifecycleService().terminate();

    Await.result(lockWait, Duration.ofSeconds(60));
    Await.result(permitWait, Duration.ofSeconds(60));
    assertThat(Await.result(survivor.lock("orders").locked())).isTrue();
    assertThat(Await.result(survivor.semaphore("api", 2).available())).isEqualTo(1);
  }
}
