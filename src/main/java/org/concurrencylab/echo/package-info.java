/**
 * Chapter 3 of the book, "A first asyncio application": TCP echo servers.
 *
 * <ul>
 *   <li>{@link org.concurrencylab.echo.EchoServerVerticle}: the Vert.x echo on {@code echo_port}, with
 *       backpressure, and the book's listing 3.10 (a client that sends the line {@code boom} makes its own
 *       connection fail; every other connection goes on).</li>
 *   <li>{@link org.concurrencylab.echo.selector}: the same echo written by hand on a
 *       {@link java.nio.channels.Selector} (the book's listing 3.8, and the seed of chapter 14's event loop).</li>
 *   <li>{@code echo.status} / {@code echo.stats} on the bus, and {@code bench echo}, the load client that
 *       measures both servers and the Python peers.</li>
 * </ul>
 */
package org.concurrencylab.echo;
