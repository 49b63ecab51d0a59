/**
 * The {@code stub} service (chapter 4's example.com, made local): a small HTTP server whose answers are
 * shaped by query parameters (delay, status, size, seeded failures) and which counts what it sees, so a
 * test can tell that a cancelled request really closed its connection.
 */
package org.concurrencylab.fetch.stub;
