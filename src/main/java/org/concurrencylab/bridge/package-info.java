/**
 * The polyglot bridge (issue 10): the event bus over TCP for any language, with Vert.x's
 * vertx-tcp-eventbus-bridge on {@code bridge_port}. Frames are a 4-byte big-endian length and a JSON object
 * ({@code {type: send|publish|register|unregister|ping, address, body, headers, replyAddress}}); the lab's
 * Python client is {@code clients/python/labbus.py}. It lets through only the addresses in
 * {@link org.concurrencylab.bridge.TcpBridgeVerticle}'s two lists: the word count, {@code fetch.run}, the chat
 * room's bus face, the members and every status. Not a chapter of the book: every chapter's face to Python.
 */
package org.concurrencylab.bridge;
