package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** An event over a {@link StateStore} document {@code {kind, set, waiters}}. */
final class SharedEvent extends SharedPrimitive implements Event {

  SharedEvent(StateStore store, String key) {
    super(store, key);
  }

  @Override
  JsonObject initial() {
    return document("event").put("set", false);
  }

  @Override
  public Future<Void> await(Duration timeout) {
    return waitTurn(timeout, "waiting for " + key, token -> state -> {
      if (state.getBoolean("set")) {
        return StateStore.Outcome.of(true);
      }
      state.getJsonArray("waiters").add(store.waiterEntry(token));
      return StateStore.Outcome.of(false);
    });
  }

  @Override
  public Future<Void> set() {
    return store.update(key, initial(), state -> {
      state.put("set", true);
      List<StateStore.Wake> wakes = new ArrayList<>();
      state.getJsonArray("waiters").forEach(entry -> wakes.add(StateStore.wakeOf((JsonObject) entry)));
      state.put("waiters", new JsonArray());
      return new StateStore.Outcome<Void>(null, wakes);
    });
  }

  @Override
  public Future<Void> clear() {
    return store.update(key, initial(), state -> {
      state.put("set", false);
      return StateStore.Outcome.<Void>of(null);
    });
  }

  @Override
  public Future<Void> remove() {
    return store.remove(key);
  }

  @Override
  public Future<Boolean> isSet() {
    return store.read(key, initial()).map(state -> state.getBoolean("set"));
  }
}
