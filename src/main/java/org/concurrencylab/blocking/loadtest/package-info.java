/**
 * The book's load tester (7.12-7.15: a Tkinter app firing aiohttp GETs from a loop thread, polled by the
 * UI), made real: the {@code loadtest} service on the bus, its web page with a live progress bar and
 * histogram, and the {@code loadtest} command with a terminal progress bar. All run
 * {@link org.concurrencylab.measure.HttpLoad}.
 */
package org.concurrencylab.blocking.loadtest;
