package org.concurrencylab.sync;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The waits pending on this node, by token. A wake-up completes the waiter's Future on the waiter's own
 * context, as a new task: the waker never runs the waiter's code on its own stack (no deep recursion when
 * a long line of waiters is served), and event-loop callers stay on their event loop.
 */
final class Waiters {

  /** One pending wait. */
  static final class Waiting {
    private final Context context;
    private final Promise<Void> promise = Promise.promise();

    private Waiting(Context context) {
      this.context = context;
    }

    Future<Void> future() {
      return promise.future();
    }

    void succeed() {
      context.runOnContext(v -> promise.tryComplete());
    }

    void fail(Throwable failure) {
      context.runOnContext(v -> promise.tryFail(failure));
    }
  }

  private final Map<String, Waiting> pending = new ConcurrentHashMap<>();

  /** Registers a wait before it is published, so a wake-up can never arrive before its waiter. */
  Waiting register(String token, Context context) {
    Waiting waiting = new Waiting(context);
    pending.put(token, waiting);
    return waiting;
  }

  /** Wakes the waiter of {@code token}, if it still waits. */
  void wake(String token) {
    Waiting waiting = pending.remove(token);
    if (waiting != null) {
      waiting.succeed();
    }
  }

  /** Withdraws a wait; true if it was still pending (no wake-up reached it). */
  boolean withdraw(String token) {
    return pending.remove(token) != null;
  }

  int size() {
    return pending.size();
  }
}
