package org.concurrencylab.mapreduce.lessons;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A counter raced by parallel workers: the unsafe one loses updates, the three fixes lose none. */
class CounterRaceTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void theUnsafeCounterLosesUpdates() {
    CounterRace.Outcome outcome = null;
    for (int round = 0; round < 5 && (outcome == null || outcome.lost() == 0); round++) {
      outcome = Await.result(CounterRace.race(vertx, CounterRace.Strategy.UNSAFE, 2, 200_000, "unused"));
    }
    assertThat(outcome.expected()).isEqualTo(400_000);
    assertThat(outcome.lost()).isPositive();
    assertThat(outcome.actual()).isLessThan(400_000);
  }

  @Test
  void theAtomicTheLockAndTheSharedCounterLoseNone() {
    for (CounterRace.Strategy strategy : new CounterRace.Strategy[] {CounterRace.Strategy.ATOMIC,
      CounterRace.Strategy.LOCK, CounterRace.Strategy.SHARED_COUNTER}) {
      int increments = strategy == CounterRace.Strategy.SHARED_COUNTER ? 2_000 : 200_000;
      CounterRace.Outcome outcome = Await.result(CounterRace.race(vertx, strategy, 3, increments,
        "test." + UUID.randomUUID()));
      assertThat(outcome.lost()).as(strategy.name()).isZero();
      assertThat(outcome.actual()).as(strategy.name()).isEqualTo(3L * increments);
    }
  }

  @Test
  void theSharedCounterIsOneCounterForEveryNodeOfTheCluster() {
    String name = "test.cluster-counter." + UUID.randomUUID();
    Vertx a = TestCluster.node(0);
    Vertx b = TestCluster.node(1);
    Await.result(Future.all(
      CounterRace.race(a, CounterRace.Strategy.SHARED_COUNTER, 2, 300, name),
      CounterRace.race(b, CounterRace.Strategy.SHARED_COUNTER, 2, 300, name)));
    long seenByA = Await.result(a.sharedData().getCounter(name).compose(counter -> counter.get()));
    long seenByB = Await.result(b.sharedData().getCounter(name).compose(counter -> counter.get()));
    assertThat(seenByA).isEqualTo(1_200);
    assertThat(seenByB).isEqualTo(1_200);
  }
}
