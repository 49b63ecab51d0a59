/**
 * Chapter 11 of the book, synchronization: non-blocking {@link org.concurrencylab.sync.Lock},
 * {@link org.concurrencylab.sync.Semaphore} (plain and bounded), {@link org.concurrencylab.sync.Event} and
 * {@link org.concurrencylab.sync.Condition} whose waits return Futures, each with a timeout, waiters served in
 * arrival order. {@link org.concurrencylab.sync.Primitives} gives them in two scopes: one Vert.x instance, or
 * the whole cluster (state in a cluster-wide async map, wake-ups over the event bus, permits of a node
 * that leaves the cluster handed back). The {@code scenario} sub-package holds the book's races, each
 * with its bug and its fix, which the demos print and the tests check.
 */
package org.concurrencylab.sync;
