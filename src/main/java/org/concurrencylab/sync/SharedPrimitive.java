package org.concurrencylab.sync;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/** What every primitive shares: its document in the store, and the one way to wait with a timeout. */
abstract class SharedPrimitive {

  final StateStore store;
  final String key;

  SharedPrimitive(StateStore store, String key) {
    this.store = store;
    this.key = key;
  }

  /** The document of a primitive nobody used yet. */
  abstract JsonObject initial();

  static JsonObject document(String kind) {
    return new JsonObject().put("kind", kind).put("waiters", new JsonArray());
  }

  /**
   * Waits for a turn: {@code attempt} (given this wait's token) either lets the caller through at once
   * (returns true) or appends the token to the document's waiters (returns false); a later change wakes the
   * token. When {@code timeout} passes first the token is withdrawn; a token already woken by then counts
   * as woken (the turn was given before the timeout was handled), else the wait fails with a 504.
   */
  Future<Void> waitTurn(Duration timeout, String what, Function<String, Function<JsonObject, StateStore.Outcome<Boolean>>> attempt) {
    return waitTurn(timeout, what, attempt, Future::succeededFuture);
  }

  /**
   * {@link #waitTurn(Duration, String, Function)} that runs {@code whileQueued} once the wait is in the line
   * (a condition releases its lock there); when that fails, the wait is withdrawn and fails with it.
   */
  Future<Void> waitTurn(Duration timeout, String what, Function<String, Function<JsonObject, StateStore.Outcome<Boolean>>> attempt,
                        Supplier<Future<Void>> whileQueued) {
    String token = UUID.randomUUID().toString();
    Context context = store.vertx.getOrCreateContext();
    Waiters.Waiting waiting = store.waiters.register(token, context);
    long timeoutMs = Math.max(0, timeout.toMillis());
    return store.update(key, initial(), attempt.apply(token)).transform(done -> {
      if (done.failed() || done.result()) {
        store.waiters.withdraw(token);
        return done.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(done.cause());
      }
      return whileQueued.get().transform(queued -> {
        if (queued.failed()) {
          store.waiters.withdraw(token);
          return store.update(key, initial(), state -> StateStore.Outcome.of(StateStore.removeWaiter(state, token)))
            .transform(removed -> Future.<Void>failedFuture(queued.cause()));
        }
        return waitForWake(token, waiting, timeoutMs, what);
      });
    });
  }

  private Future<Void> waitForWake(String token, Waiters.Waiting waiting, long timeoutMs, String what) {
    long timer = store.vertx.setTimer(Math.max(1, timeoutMs), id -> {
      if (!store.waiters.withdraw(token)) {
        return; // woken in the meantime
      }
      store.update(key, initial(), state -> StateStore.Outcome.of(StateStore.removeWaiter(state, token)))
        .onComplete(removed -> {
          if (removed.failed()) {
            waiting.fail(removed.cause());
          } else if (removed.result()) {
            waiting.fail(Failure.TIMEOUT.exception(what + " timed out after " + timeoutMs + " ms"));
          } else {
            waiting.succeed();
          }
        });
    });
    return waiting.future().onComplete(ignored -> store.vertx.cancelTimer(timer));
  }
}
