/**
 * The book's order web app (12.3, and 12.7's power users first), made durable: {@link
 * org.concurrencylab.queue.order.OrderDesk} takes orders ({@code POST /order} answers 202 once the order is
 * in PostgreSQL, or 503 with Retry-After when the queue is full) and {@link
 * org.concurrencylab.queue.order.OrderWorkers} process them, each claim a row lock that a crash gives back.
 */
package org.concurrencylab.queue.order;
