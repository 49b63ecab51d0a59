/**
 * The book's chapter 13 programs as demos ({@code java -jar concurrency-lab.jar demo <name>}), each running
 * the real process service on the demo's own Vert.x instance and talking to it over the bus.
 */
package org.concurrencylab.process.demo;
