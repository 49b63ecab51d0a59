/**
 * The lab's metrics (issue 10): Vert.x's own meters (event bus, HTTP server and client, pools, via
 * vertx-micrometer-metrics with its Prometheus backend) and the lab's counters (echo bytes, chat deliveries,
 * orders, map-reduce lines, ...), read from each node's {@code <service>.status.<node>} stats when scraped.
 * {@code /metrics} on the lab's HTTP server serves them in Prometheus' text format. Imports only {@code bus} and {@code api}.
 */
package org.concurrencylab.metrics;
