/**
 * The book's queue-based crawler (12.4): workers take URLs from an {@link org.concurrencylab.queue.AsyncQueue},
 * fetch them with a timeout, parse links with jsoup and queue those on the start host, within a depth and
 * inside the {@code fetch_allow_hosts} allow-list. As a command ({@code crawl URL}) and on the bus
 * ({@code crawl.start}).
 */
package org.concurrencylab.queue.crawl;
