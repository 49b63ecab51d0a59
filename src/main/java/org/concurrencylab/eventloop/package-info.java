/**
 * An event loop of our own, on a {@link java.nio.channels.Selector}: the book's custom event loop (14.5-14.13)
 * grown from the selector echo's loop (3.8). {@link org.concurrencylab.eventloop.SelectorLoop} runs call-soon
 * callbacks, timers and channel handlers on one thread; {@link org.concurrencylab.eventloop.LoopFuture} and
 * {@link org.concurrencylab.eventloop.LoopTask} are its futures and tasks; {@link
 * org.concurrencylab.eventloop.AsyncSockets} awaits sockets with them. A library: it imports nothing of the
 * lab's but SLF4J, so the echo (chapter 3) and the loop service (chapter 14) both build on it.
 */
package org.concurrencylab.eventloop;
