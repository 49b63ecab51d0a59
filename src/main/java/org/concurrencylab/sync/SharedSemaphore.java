package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock, semaphore or bounded semaphore over a {@link StateStore} document
 * {@code {kind, permits, held: {node: count}, waiters}}. A release hands the permit straight to the longest
 * waiter (no barging: a newcomer never overtakes the line), and permits are counted per node so that
 * those of a node that left the cluster can be handed back ({@link #reclaim}).
 */
final class SharedSemaphore extends SharedPrimitive implements Lock, Semaphore {

  enum Kind { LOCK, SEMAPHORE, BOUNDED }

  private final Kind kind;
  private final int permits;

  SharedSemaphore(StateStore store, String key, Kind kind, int permits) {
    super(store, key);
    if (permits < 0 || (kind == Kind.LOCK && permits != 1)) {
      throw new IllegalArgumentException("permits must be >= 0 (a lock has 1), not " + permits);
    }
    this.kind = kind;
    this.permits = permits;
  }

  @Override
  JsonObject initial() {
    return document(kind.name().toLowerCase(java.util.Locale.ROOT)).put("permits", permits).put("held", new JsonObject());
  }

  @Override
  public Future<Void> acquire(Duration timeout) {
    return waitTurn(timeout, kind == Kind.LOCK ? "acquiring the lock " + key : "acquiring a permit of " + key,
      token -> state -> {
        if (state.getJsonArray("waiters").isEmpty() && available(state) > 0) {
          hold(state, store.node());
          return StateStore.Outcome.of(true);
        }
        state.getJsonArray("waiters").add(store.waiterEntry(token));
        return StateStore.Outcome.of(false);
      });
  }

  @Override
  public Future<Void> release() {
    return store.update(key, initial(), state -> {
      JsonObject held = state.getJsonObject("held");
      if (total(held) == 0) {
        switch (kind) {
          case LOCK:
            throw new IllegalStateException("release of " + key + ", which is not locked");
          case BOUNDED:
            throw new IllegalStateException("BoundedSemaphore " + key + " released too often (more releases than acquires)");
          default:
            state.put("permits", state.getInteger("permits") + 1); // asyncio.Semaphore lets the count grow
        }
      } else {
        // Permits are not owned by tasks (asyncio's are not either): give back one of this node's if it has
        // any, else one handed to another node.
        String from = held.getInteger(store.node(), 0) > 0 ? store.node() : held.fieldNames().iterator().next();
        unhold(held, from);
      }
      return new StateStore.Outcome<Void>(null, promote(state));
    });
  }

  @Override
  public Future<Integer> available() {
    return store.read(key, initial()).map(SharedSemaphore::available);
  }

  @Override
  public Future<Boolean> locked() {
    return available().map(free -> free == 0);
  }

  static int available(JsonObject state) {
    return state.getInteger("permits") - total(state.getJsonObject("held"));
  }

  private static int total(JsonObject held) {
    int sum = 0;
    for (String node : held.fieldNames()) {
      sum += held.getInteger(node);
    }
    return sum;
  }

  private static void hold(JsonObject state, String node) {
    JsonObject held = state.getJsonObject("held");
    held.put(node, held.getInteger(node, 0) + 1);
  }

  private static void unhold(JsonObject held, String node) {
    int left = held.getInteger(node) - 1;
    if (left == 0) {
      held.remove(node);
    } else {
      held.put(node, left);
    }
  }

  /** Hands free permits to the waiters at the head of the line. */
  private static List<StateStore.Wake> promote(JsonObject state) {
    List<StateStore.Wake> wakes = new ArrayList<>();
    JsonArray waiters = state.getJsonArray("waiters");
    while (!waiters.isEmpty() && available(state) > 0) {
      JsonObject next = (JsonObject) waiters.remove(0);
      hold(state, next.getString("n"));
      wakes.add(StateStore.wakeOf(next));
    }
    return wakes;
  }

  /** Forgets a node that left: its permits come back (to the next waiters) and its waits are dropped. */
  static List<StateStore.Wake> reclaim(JsonObject state, String node) {
    JsonObject held = state.getJsonObject("held");
    if (held != null) {
      held.remove(node);
    }
    JsonArray waiters = state.getJsonArray("waiters");
    if (waiters != null) {
      waiters.getList().removeIf(entry -> node.equals(entry instanceof JsonObject json ? json.getString("n")
        : ((java.util.Map<?, ?>) entry).get("n")));
    }
    return held == null ? List.of() : promote(state);
  }
}
