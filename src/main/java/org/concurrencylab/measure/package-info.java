/**
 * Measuring what the lab does: latency histograms with percentiles, and the table-plus-JSON-line report
 * every load client prints. A library shared by services, commands and benchmarks.
 */
package org.concurrencylab.measure;
