/**
 * The {@code basics} service: chapters 1 and 2 of the book. The book's CPU-bound workloads (naive recursive
 * fib, the count-to-N loop) and its I/O-bound one (a delay) are offered on the event bus
 * ({@code basics.fib}, {@code basics.count}, {@code basics.delay}), the CPU work always on worker threads.
 * Sub-packages: {@code task} (the book's tasks as cancellable Vert.x futures: timeouts, cancellation, shield)
 * and {@code demo} (the chapters' stories, measured: CPU vs I/O, tasks, cancellation, a blocked event loop,
 * async/await on virtual threads).
 */
package org.concurrencylab.basics;
