package org.concurrencylab.sync;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A condition variable bound to a {@link Lock} (the book's {@code asyncio.Condition}). A waiter must hold
 * the lock: {@link #await(Duration)} releases it, waits to be signalled, and takes it again before its Future
 * completes. Signals wake waiters in the order they started waiting.
 */
public interface Condition {

  /** The lock this condition releases and re-takes. */
  Lock lock();

  /**
   * Releases the lock, waits for a signal at most {@code timeout}, then re-acquires the lock (again waiting
   * at most {@code timeout}). Completes with true when signalled, false when the wait timed out; in both
   * cases the lock is held again. Fails (lock not held) if re-acquiring times out.
   */
  Future<Boolean> await(Duration timeout);

  /**
   * {@code wait_for(predicate)}: while {@code predicate} is false, waits for a signal; the whole wait lasts at
   * most {@code timeout}. Completes with the predicate's last value, holding the lock.
   */
  Future<Boolean> awaitUntil(BooleanSupplier predicate, Duration timeout);

  /** Wakes up to {@code n} waiters, longest first; completes with how many were woken. */
  Future<Integer> signal(int n);

  /** Wakes every waiter. */
  Future<Integer> signalAll();
}
