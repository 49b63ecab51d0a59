package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The primitives' state for one Vert.x instance: documents in memory, each update under one monitor (short:
 * a few map operations, no waiting inside), waiters woken on their own contexts. One store per Vert.x
 * instance, so every verticle that asks for the same name gets the same primitive.
 */
final class LocalStateStore extends StateStore implements Shareable {

  private static final String REGISTRY = "lab.sync.local";
  private final Map<String, JsonObject> documents = new HashMap<>();

  private LocalStateStore(Vertx vertx) {
    super(vertx);
  }

  static LocalStateStore of(Vertx vertx) {
    return (LocalStateStore) vertx.sharedData().getLocalMap(REGISTRY)
      .computeIfAbsent("store", name -> new LocalStateStore(vertx));
  }

  @Override
  String node() {
    return "local";
  }

  @Override
  String wakeAddress() {
    return "";
  }

  @Override
  String scope() {
    return "local";
  }

  @Override
  <R> Future<R> update(String key, JsonObject initial, Function<JsonObject, Outcome<R>> change) {
    Outcome<R> outcome;
    synchronized (documents) {
      JsonObject current = documents.getOrDefault(key, initial);
      if (current == null) {
        return Future.succeededFuture(null);
      }
      JsonObject next = current.copy();
      try {
        outcome = change.apply(next);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      documents.put(key, next);
    }
    outcome.wakes().forEach(wake -> waiters.wake(wake.token()));
    return Future.succeededFuture(outcome.result());
  }

  @Override
  Future<Void> remove(String key) {
    synchronized (documents) {
      documents.remove(key);
    }
    return Future.succeededFuture();
  }

  @Override
  Future<JsonObject> read(String key, JsonObject initial) {
    synchronized (documents) {
      return Future.succeededFuture(documents.getOrDefault(key, initial).copy());
    }
  }
}
