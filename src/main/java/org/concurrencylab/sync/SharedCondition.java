package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A condition over a {@link StateStore} document {@code {kind, waiters}}. A waiter joins the line while it
 * still holds the lock and only then releases it, so a signal sent under the lock can never fall between
 * the two and be missed.
 */
final class SharedCondition extends SharedPrimitive implements Condition {

  private final Lock lock;

  SharedCondition(StateStore store, String key, Lock lock) {
    super(store, key);
    this.lock = lock;
  }

  @Override
  JsonObject initial() {
    return document("condition");
  }

  @Override
  public Lock lock() {
    return lock;
  }

  @Override
  public Future<Boolean> await(Duration timeout) {
    AtomicBoolean released = new AtomicBoolean();
    return waitTurn(timeout, "waiting on " + key,
      token -> state -> {
        state.getJsonArray("waiters").add(store.waiterEntry(token));
        return StateStore.Outcome.of(false);
      },
      () -> lock.release().onSuccess(v -> released.set(true)))
      .transform(wait -> {
        if (!released.get()) {
          return Future.failedFuture(wait.cause()); // the lock was not held: nothing to take back
        }
        if (wait.failed() && Failure.of(wait.cause()) != Failure.TIMEOUT) {
          return lock.acquire(timeout).transform(again -> Future.<Boolean>failedFuture(wait.cause()));
        }
        return lock.acquire(timeout).map(wait.succeeded());
      });
  }

  @Override
  public Future<Boolean> awaitUntil(BooleanSupplier predicate, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return checkOrWait(predicate, deadline);
  }

  private Future<Boolean> checkOrWait(BooleanSupplier predicate, long deadline) {
    if (predicate.getAsBoolean()) {
      return Future.succeededFuture(true);
    }
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return Future.succeededFuture(false);
    }
    return await(Duration.ofNanos(left)).compose(woken -> checkOrWait(predicate, deadline));
  }

  @Override
  public Future<Integer> signal(int n) {
    return store.update(key, initial(), state -> {
      JsonArray waiters = state.getJsonArray("waiters");
      List<StateStore.Wake> wakes = new ArrayList<>();
      while (!waiters.isEmpty() && wakes.size() < n) {
        wakes.add(StateStore.wakeOf((JsonObject) waiters.remove(0)));
      }
      return new StateStore.Outcome<>(wakes.size(), wakes);
    });
  }

  @Override
  public Future<Integer> signalAll() {
    return signal(Integer.MAX_VALUE);
  }
}
