package org.concurrencylab.sync;

import io.vertx.core.Future;

import java.util.function.Supplier;

/** Runs an action while something is held and gives it back however the action ends. */
final class Holding {

  private Holding() {
  }

  static <T> Future<T> run(Supplier<Future<T>> action, Supplier<Future<Void>> release) {
    Future<T> result;
    try {
      result = action.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.eventually(release::get);
  }
}
