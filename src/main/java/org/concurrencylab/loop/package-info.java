/**
 * Chapter 14, advanced asyncio: context variables (the 14.2 line logger that knows its peer, and request ids
 * that follow a request across the bus, see {@code org.concurrencylab.trace}), forcing a loop iteration
 * (14.3, {@code demo yield}), and other event-loop implementations: Netty's native transports (14.4's uvloop)
 * and a small event loop of our own (14.5-14.13).
 */
package org.concurrencylab.loop;
