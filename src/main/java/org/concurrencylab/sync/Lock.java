package org.concurrencylab.sync;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A mutual-exclusion lock whose {@link #acquire(Duration)} returns a Future instead of blocking a thread
 * (the book's {@code asyncio.Lock}). Waiters get the lock in the order they asked for it.
 */
public interface Lock {

  /**
   * Completes once this caller holds the lock, or fails with a 504 {@code ReplyException} when
   * {@code timeout} passes first (the lock is then not held).
   */
  Future<Void> acquire(Duration timeout);

  /** Releases the lock, handing it to the longest waiter; fails with IllegalStateException if it is not held. */
  Future<Void> release();

  /** Whether someone holds the lock right now. */
  Future<Boolean> locked();

  /** {@code async with lock:}: runs {@code action} holding the lock and releases it however the action ends. */
  default <T> Future<T> withLock(Duration timeout, Supplier<Future<T>> action) {
    return acquire(timeout).compose(held -> Holding.run(action, this::release));
  }
}
