/**
 * The demos of chapters 1 and 2 ({@code java -jar concurrency-lab.jar demo <name>}): each tells the book's
 * story with times measured here and returns its measured claims as JSON. Sizes are options, so a test can
 * run the same story small.
 */
package org.concurrencylab.basics.demo;
