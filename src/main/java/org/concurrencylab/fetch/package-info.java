/**
 * Chapter 4 of the book: concurrent web requests. The {@code fetch} service runs many GETs with a bound on
 * how many are in flight and waits for them the ways the book shows (gather, as_completed,
 * wait(FIRST_COMPLETED / FIRST_EXCEPTION), timeouts), really cancelling what it no longer needs. Its
 * sub-package {@code stub} is the local server it calls instead of example.com.
 */
package org.concurrencylab.fetch;
