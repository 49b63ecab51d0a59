/**
 * Chapter 12 of the book, async queues: {@link org.concurrencylab.queue.AsyncQueue} (FIFO, priority with ties
 * in insertion order, LIFO; bounded put, take, taskDone / join, every wait with a timeout), a work queue
 * on the event bus whose producers and consumers may be on any node ({@code work}), the order web app of
 * 12.3 / 12.7 made durable with PostgreSQL ({@code order}), the crawler of 12.4 ({@code crawl}) and the
 * chapter's demos.
 */
package org.concurrencylab.queue;
