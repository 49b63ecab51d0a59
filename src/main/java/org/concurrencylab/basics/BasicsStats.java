package org.concurrencylab.basics;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;

/** What {@code basics.status} reports: work done since start, shared by the service's verticle instances. */
final class BasicsStats {

  final AtomicLong fibs = new AtomicLong();
  final AtomicLong counts = new AtomicLong();
  final AtomicLong countsStopped = new AtomicLong();
  final AtomicLong delays = new AtomicLong();
  final AtomicLong running = new AtomicLong();

  JsonObject json() {
    return new JsonObject()
      .put("fib_computed", fibs.get())
      .put("counts_done", counts.get())
      .put("counts_stopped", countsStopped.get())
      .put("delays_done", delays.get())
      .put("running", running.get());
  }
}
