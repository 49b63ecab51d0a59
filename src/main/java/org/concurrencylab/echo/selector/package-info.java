/**
 * The book's listing 3.8, an echo server on a hand-written {@code select()} loop.
 *
 * <ul>
 *   <li>{@link org.concurrencylab.eventloop.SelectorLoop}: the loop, protocol-free, in the shared
 *       {@code eventloop} package (where chapter 14 grew it into a custom event loop): one thread of its own,
 *       channels with {@link org.concurrencylab.eventloop.ChannelHandler}s, tasks queued from any thread
 *       ({@code call_soon_threadsafe}), a failing handler closes its own channel only.</li>
 *   <li>{@link org.concurrencylab.echo.selector.SelectorEchoServer} and
 *       {@link org.concurrencylab.echo.selector.SelectorEchoConnection}: the echo protocol on top of it
 *       (accept; read and write back; {@code OP_WRITE} for partial writes; backpressure; close on EOF).</li>
 *   <li>{@link org.concurrencylab.echo.selector.SelectorEchoVerticle}: binds {@code selector_echo_port}, starts
 *       the loop's thread, and stops and joins it when undeployed.</li>
 * </ul>
 */
package org.concurrencylab.echo.selector;
