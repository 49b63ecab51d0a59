/**
 * Chapter 13, subprocesses: the {@code process} service runs allow-listed commands without a shell, streams
 * their output line by line over the bus, HTTP (Server-Sent Events or a WebSocket) and captures it up to a
 * cap, writes their stdin, and ends them with a timeout (terminate, then kill). The child's pipes are drained
 * on threads of their own, so neither an event loop nor a chatty child can block the other (13.4-13.6).
 * {@link org.concurrencylab.process.CommandPolicy} is the one place that decides what may run.
 */
package org.concurrencylab.process;
