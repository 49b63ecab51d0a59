/**
 * Request ids that follow a request wherever its work goes (the book's 14.2 context variables, for the whole
 * lab): set where a request enters (an HTTP request, a bus message, a line a TCP server reads), kept in the
 * Vert.x context the request's callbacks run on, carried in a header across every bus hop (to other cluster
 * nodes too), and shown in every log line the request causes (SLF4J MDC key {@code requestId}). A library:
 * imports only Vert.x, Vert.x Web and logback. {@link org.concurrencylab.trace.RequestIds} is its face.
 */
package org.concurrencylab.trace;
