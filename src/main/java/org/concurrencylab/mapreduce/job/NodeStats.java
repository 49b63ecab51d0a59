package org.concurrencylab.mapreduce.job;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the mapreduce service of one node has done, for {@code mapreduce.status}: its map workers' work
 * (shared by every worker instance) and its coordinator's jobs.
 */
final class NodeStats {

  final AtomicInteger workers = new AtomicInteger();
  final AtomicLong partitions = new AtomicLong();
  final AtomicLong lines = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong mapFailures = new AtomicLong();
  final AtomicInteger jobsRunning = new AtomicInteger();
  final AtomicLong jobsDone = new AtomicLong();
  final AtomicLong jobsFailed = new AtomicLong();

  JsonObject toJson() {
    return new JsonObject()
      .put("workers", workers.get())
      .put("partitionsMapped", partitions.get())
      .put("linesMapped", lines.get())
      .put("bytesMapped", bytes.get())
      .put("mapFailures", mapFailures.get())
      .put("jobsRunning", jobsRunning.get())
      .put("jobsDone", jobsDone.get())
      .put("jobsFailed", jobsFailed.get());
  }
}
