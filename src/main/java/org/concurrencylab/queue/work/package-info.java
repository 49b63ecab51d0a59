/**
 * A work queue on the event bus: one node keeps the named queues ({@link org.concurrencylab.queue.work.WorkQueueBroker}),
 * producers and consumers on any node of the cluster reach them with {@link org.concurrencylab.queue.work.WorkQueueClient}.
 */
package org.concurrencylab.queue.work;
