/**
 * Chapter 8 of the book: streams and the chat server. The book's newline-delimited chat protocol over TCP
 * ({@code CONNECT <username>}, then every line to everyone) served by Vert.x, the same room over a WebSocket
 * for the web UI, cluster-wide over the event bus ({@code chat.room.<room>}), with the book's terminal client
 * (listings 8.4-8.11) in {@link org.concurrencylab.chat.client}.
 *
 * <p>The moving parts: a {@link org.concurrencylab.chat.RoomShard} per event loop holds the users connected
 * on that loop and fans each batch of lines out to them; shards meet on the event bus; the
 * {@link org.concurrencylab.chat.RoomRegistry} keeps who is online cluster-wide (unique names, the count,
 * and the users of a node that died).
 */
package org.concurrencylab.chat;
