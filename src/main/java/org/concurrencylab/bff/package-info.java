/**
 * Chapter 10: the book's backend-for-frontend, {@code GET /products/all} on {@code bff_port}. It asks the
 * shop's products, favorites and cart at once under a deadline, then one inventory call per product with
 * bounded concurrency under a second deadline; favorites and cart are retried, inventory goes through a
 * Vert.x circuit breaker. It reaches the services over the event bus (any cluster node) or over HTTP (any
 * server with the book's URL shapes, such as the Python peers), never by importing them.
 */
package org.concurrencylab.bff;
