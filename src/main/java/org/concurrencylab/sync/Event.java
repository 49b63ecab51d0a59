package org.concurrencylab.sync;

import io.vertx.core.Future;

import java.time.Duration;

/**
 * A flag that tasks wait for (the book's {@code asyncio.Event}): {@link #set()} wakes every waiter and lets
 * later waits through at once, until {@link #clear()}.
 */
public interface Event {

  /** Completes when the event is set (at once if it already is), or fails with a 504 after {@code timeout}. */
  Future<Void> await(Duration timeout);

  /** Sets the flag and wakes every waiter. */
  Future<Void> set();

  /** Clears the flag; later waits wait again. */
  Future<Void> clear();

  Future<Boolean> isSet();

  /**
   * Forgets the event: its state is dropped (a later use starts afresh, cleared), and waits still pending
   * end by their timeouts. For events named per use (one per upload, say), so that they do not pile up.
   */
  Future<Void> remove();
}
