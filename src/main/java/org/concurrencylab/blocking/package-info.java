/**
 * Chapter 7 of the book: threads alongside an event loop. Blocking calls moved off the loop
 * ({@code executeBlocking(..., false)}, worker verticles), CPU work on a worker pool (scrypt), locks and a
 * deadlock that is detected instead of hanging. Its sub-package {@code loadtest} is the book's load tester
 * (7.12-7.15), made real.
 */
package org.concurrencylab.blocking;
