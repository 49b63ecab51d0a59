/**
 * The event-bus contract every service shares: failure codes, request helpers with timeouts, and the
 * status convention that {@code /health} reads. This package imports nothing else of the lab's, so any
 * service (on any node) can depend on it.
 */
package org.concurrencylab.bus;
