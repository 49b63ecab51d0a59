package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Where synchronization primitives come from, and how far they reach. The same name in the same scope is
 * the same primitive: {@link #local(Vertx)} shares them between the verticles of one Vert.x instance,
 * {@link #clustered(Vertx)} between every node of the cluster. Both scopes run the same state machines
 * (see {@link StateStore}); only where the state lives and how waiters are woken differ.
 */
public interface Primitives {

  /** The primitives of one Vert.x instance: state in memory, wake-ups by a task on the waiter's context. */
  static Primitives local(Vertx vertx) {
    return LocalStateStore.of(vertx).primitives();
  }

  /**
   * Cluster-wide primitives: state in a cluster-wide async map, wake-ups over the event bus, and permits
   * or waits of a node that leaves the cluster handed back. Completes when this node can be woken.
   */
  static Future<Primitives> clustered(Vertx vertx) {
    if (!vertx.isClustered()) {
      return Future.failedFuture(new IllegalStateException("cluster-wide primitives need a clustered Vert.x"));
    }
    return ClusterStateStore.start(vertx).map(StateStore::primitives);
  }

  /** {@code local} or {@code cluster}. */
  String scope();

  Lock lock(String name);

  Semaphore semaphore(String name, int permits);

  Semaphore boundedSemaphore(String name, int permits);

  Event event(String name);

  /** A condition named {@code name} that waits with {@code lock}. */
  Condition condition(String name, Lock lock);

  /** Stops this node's part (cluster scope: its wake-up consumer and membership listener). */
  Future<Void> close();
}
