package org.concurrencylab.sync;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A counting semaphore (the book's {@code asyncio.Semaphore} and {@code BoundedSemaphore}): at most
 * {@code permits} holders at once; waiters are served in arrival order. A bounded semaphore refuses a
 * release that would raise the count above its initial value; a plain one lets the count grow.
 */
public interface Semaphore {

  /** Completes once a permit is held, or fails with a 504 {@code ReplyException} after {@code timeout}. */
  Future<Void> acquire(Duration timeout);

  /**
   * Gives a permit back (to the longest waiter, if any). For a bounded semaphore released more often than
   * acquired, fails with IllegalStateException and changes nothing.
   */
  Future<Void> release();

  /** Permits free right now. */
  Future<Integer> available();

  /** {@code async with semaphore:}: runs {@code action} holding a permit, then releases it. */
  default <T> Future<T> withPermit(Duration timeout, Supplier<Future<T>> action) {
    return acquire(timeout).compose(held -> Holding.run(action, this::release));
  }
}
