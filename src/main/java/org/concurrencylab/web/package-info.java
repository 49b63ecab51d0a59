/**
 * Chapter 9 of the book: the REST API over the product database ({@code /brands}, {@code /products/{id}},
 * {@code POST /product}, {@code /time}), validated against an OpenAPI document, a streaming {@code /skus/stream},
 * and the WebSocket {@code /counter} of connected clients, counted across the cluster. The routes run on the
 * lab's HTTP server and reach the products store only over the event bus.
 */
package org.concurrencylab.web;
