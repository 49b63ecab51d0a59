package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user of each primitive notices, in both scopes: exclusion, arrival order, timeouts that leave no
 * trace, wake-ups across handles (across nodes in the cluster scope), and refused releases.
 */
class PrimitivesTest {

  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Duration SHORT = Duration.ofMillis(150);

  private static String name() {
    return UUID.randomUUID().toString();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void aLockIsExclusiveAndServesItsWaitersInArrivalOrder(Scopes.Pair pair) {
    String name = name();
    Lock holder = pair.a().lock(name);
    Lock others = pair.b().lock(name);
    Await.result(holder.acquire(LONG));
    assertThat(Await.result(others.locked())).isTrue();

    List<Integer> served = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> waits = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int number = i;
      waits.add(others.withLock(LONG, () -> {
        served.add(number);
        return Future.succeededFuture();
      }));
    }
    Await.result(holder.release());
    Await.result(Future.all(waits));

    assertThat(served).containsExactly(0, 1, 2, 3, 4);
    assertThat(Await.result(holder.locked())).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void aWaitThatTimesOutFailsWith504AndTakesNothing(Scopes.Pair pair) {
    String name = name();
    Lock holder = pair.a().lock(name);
    Await.result(holder.acquire(LONG));

    Throwable failure = Await.failure(pair.b().lock(name).acquire(SHORT), LONG);
    assertThat(failure).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(504);

    Await.result(holder.release());
    Await.result(pair.b().lock(name).acquire(LONG)); // the timed-out wait left no place in the line
    Await.result(pair.b().lock(name).release());
    assertThat(Await.result(holder.locked())).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void aSemaphoreLetsThroughAsManyAsItHasPermits(Scopes.Pair pair) {
    String name = name();
    List<Future<Void>> attempts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Primitives side = i % 2 == 0 ? pair.a() : pair.b();
      attempts.add(side.semaphore(name, 3).acquire(Duration.ofMillis(400)));
    }
    Await.result(Future.join(attempts).otherwiseEmpty());

    assertThat(attempts.stream().filter(Future::succeeded).count()).isEqualTo(3);
    assertThat(Await.result(pair.a().semaphore(name, 3).available())).isZero();
    for (int i = 0; i < 3; i++) {
      Await.result(pair.b().semaphore(name, 3).release());
    }
    assertThat(Await.result(pair.a().semaphore(name, 3).available())).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void aBoundedSemaphoreReleasedTooOftenIsAnErrorAndChangesNothing(Scopes.Pair pair) {
    String name = name();
    Semaphore bounded = pair.a().boundedSemaphore(name, 2);
    Await.result(bounded.acquire(LONG));
    Await.result(pair.b().boundedSemaphore(name, 2).release());

    Throwable failure = Await.failure(pair.b().boundedSemaphore(name, 2).release(), LONG);
    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("released too often");
    assertThat(Await.result(bounded.available())).isEqualTo(2);

    // A plain semaphore lets the count grow, as asyncio's does.
    Semaphore plain = pair.a().semaphore(name, 2);
    Await.result(plain.release());
    assertThat(Await.result(plain.available())).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void releasingALockNobodyHoldsIsAnError(Scopes.Pair pair) {
    Throwable failure = Await.failure(pair.a().lock(name()).release(), LONG);
    assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("not locked");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void anEventWakesEveryWaiterAndLetsLaterWaitsThroughUntilCleared(Scopes.Pair pair) {
    String name = name();
    Future<Void> first = pair.a().event(name).await(LONG);
    Future<Void> second = pair.b().event(name).await(LONG);
    Future<Void> timedOut = pair.b().event(name).await(SHORT);
    assertThat(Await.failure(timedOut, LONG)).isInstanceOf(ReplyException.class);
    assertThat(first.isComplete() || second.isComplete()).isFalse();

    Await.result(pair.a().event(name).set());
    Await.result(Future.all(first, second));
    Await.result(pair.b().event(name).await(SHORT));
    assertThat(Await.result(pair.b().event(name).isSet())).isTrue();

    Await.result(pair.b().event(name).clear());
    assertThat(Await.failure(pair.a().event(name).await(SHORT), LONG)).isInstanceOf(ReplyException.class);

    Await.result(pair.a().event(name).set());
    Await.result(pair.b().event(name).remove());
    assertThat(Await.result(pair.a().event(name).isSet())).isFalse(); // forgotten: starts afresh, cleared
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void aSignalWakesTheLongestWaiterWhichHoldsTheLockAgain(Scopes.Pair pair) {
    String name = name();
    Lock lockB = pair.b().lock(name);
    Condition conditionB = pair.b().condition(name, lockB);
    List<String> woken = Collections.synchronizedList(new ArrayList<>());
    List<Future<Boolean>> waits = new ArrayList<>();
    for (String who : List.of("first", "second")) {
      waits.add(Await.result(lockB.acquire(LONG).map(held -> conditionB.await(LONG)
        .compose(signalled -> {
          woken.add(who);
          return lockB.release().map(signalled);
        }))));
    }
    Lock lockA = pair.a().lock(name);
    Condition conditionA = pair.a().condition(name, lockA);
    Await.result(lockA.withLock(LONG, () -> conditionA.signal(1)));
    assertThat(Await.result(waits.get(0))).isTrue();
    assertThat(woken).containsExactly("first");

    Await.result(lockA.withLock(LONG, conditionA::signalAll));
    assertThat(Await.result(waits.get(1))).isTrue();
    assertThat(woken).containsExactly("first", "second");

    // Waiting without holding the lock is refused, as in asyncio.
    assertThat(Await.failure(conditionA.await(SHORT), LONG)).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.concurrencylab.sync.Scopes#both")
  void aConditionWaitThatTimesOutReturnsFalseHoldingTheLock(Scopes.Pair pair) {
    String name = name();
    Lock lock = pair.a().lock(name);
    Condition condition = pair.a().condition(name, lock);
    Await.result(lock.acquire(LONG));
    assertThat(Await.result(condition.awaitUntil(() -> false, SHORT))).isFalse();
    assertThat(Await.result(lock.locked())).isTrue();
    Await.result(lock.release());
  }
}
