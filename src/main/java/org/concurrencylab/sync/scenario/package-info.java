/**
 * The book's chapter-11 races, each runnable with and without its fix: the lost update (11.1-11.2), the
 * broadcast race (11.3-11.5), requests limited by a semaphore (11.6-11.8), the upload server whose Event
 * says an upload finished (11.10-11.13) and the connection whose queries wait on a Condition (11.14-11.15).
 * Demos print them; tests run them in both scopes of {@link org.concurrencylab.sync.Primitives}.
 */
package org.concurrencylab.sync.scenario;
