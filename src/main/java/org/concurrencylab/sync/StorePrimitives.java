package org.concurrencylab.sync;

import io.vertx.core.Future;

/** The primitives of one {@link StateStore}; names are prefixed by kind so a lock and an event may share one. */
final class StorePrimitives implements Primitives {

  private final StateStore store;

  StorePrimitives(StateStore store) {
    this.store = store;
  }

  @Override
  public String scope() {
    return store.scope();
  }

  @Override
  public Lock lock(String name) {
    return new SharedSemaphore(store, "lock:" + name, SharedSemaphore.Kind.LOCK, 1);
  }

  @Override
  public Semaphore semaphore(String name, int permits) {
    return new SharedSemaphore(store, "semaphore:" + name, SharedSemaphore.Kind.SEMAPHORE, permits);
  }

  @Override
  public Semaphore boundedSemaphore(String name, int permits) {
    return new SharedSemaphore(store, "bounded:" + name, SharedSemaphore.Kind.BOUNDED, permits);
  }

  @Override
  public Event event(String name) {
    return new SharedEvent(store, "event:" + name);
  }

  @Override
  public Condition condition(String name, Lock lock) {
    return new SharedCondition(store, "condition:" + name, lock);
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }
}
