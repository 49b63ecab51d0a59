/**
 * Chapter 6 of the book, multiprocessing and map-reduce: a word count over a Google Books 1-gram file, split
 * into byte ranges that worker verticles count on every core and on every node of the cluster, with the
 * chapter's smaller lessons (lost updates on a shared counter, CPU loops in parallel) as demos.
 *
 * <p>{@code ngrams} writes synthetic 1-gram files with their true totals; {@code count} parses bytes into
 * counts; {@code job} is the map-reduce itself (map workers, coordinator, HTTP routes, CLI); {@code lessons}
 * holds the demos.
 */
package org.concurrencylab.mapreduce;
