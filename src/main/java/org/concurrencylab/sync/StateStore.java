package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/**
 * Where the primitives keep their state: one JSON document per primitive, changed only by atomic updates.
 * A change is a pure function of the current document (it may run twice when a cluster-wide update
 * loses a race) that also names the waiters to wake; the store wakes them once the change is stored.
 * Every document has {@code waiters: [{t: token, n: node, a: wake address}]} in arrival order.
 */
abstract class StateStore {

  /** A waiter to wake once a change is stored. */
  record Wake(String node, String address, String token) {
  }

  /** What a change returns: its result and the waiters it woke. */
  record Outcome<R>(R result, List<Wake> wakes) {
    static <R> Outcome<R> of(R result) {
      return new Outcome<>(result, List.of());
    }
  }

  final Vertx vertx;
  final Waiters waiters = new Waiters();

  StateStore(Vertx vertx) {
    this.vertx = vertx;
  }

  /** This node's name in the state documents. */
  abstract String node();

  /** The address that wakes this node's waiters (unused in the local scope). */
  abstract String wakeAddress();

  abstract String scope();

  /**
   * Applies {@code change} to the document under {@code key} (a copy of {@code initial} when absent; when
   * {@code initial} is null too, the change is skipped and the result is null),
   * atomically, then wakes the waiters the change names. A change that throws leaves the document as it was,
   * and the returned Future fails with what it threw.
   */
  abstract <R> Future<R> update(String key, JsonObject initial, Function<JsonObject, Outcome<R>> change);

  /** The document under {@code key}, or a copy of {@code initial} when there is none yet. */
  abstract Future<JsonObject> read(String key, JsonObject initial);

  /** Drops the document under {@code key}. */
  abstract Future<Void> remove(String key);

  Future<Void> close() {
    return Future.succeededFuture();
  }

  /** A waiter entry for this node. */
  JsonObject waiterEntry(String token) {
    return new JsonObject().put("t", token).put("n", node()).put("a", wakeAddress());
  }

  static Wake wakeOf(JsonObject entry) {
    return new Wake(entry.getString("n"), entry.getString("a"), entry.getString("t"));
  }

  /** Removes the waiter {@code token} from {@code state}; true if it was there. */
  static boolean removeWaiter(JsonObject state, String token) {
    JsonArray list = state.getJsonArray("waiters");
    for (int i = 0; i < list.size(); i++) {
      if (token.equals(list.getJsonObject(i).getString("t"))) {
        list.remove(i);
        return true;
      }
    }
    return false;
  }

  Primitives primitives() {
    return new StorePrimitives(this);
  }
}
