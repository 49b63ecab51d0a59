package org.concurrencylab.fetch;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;

/** Live numbers of the fetch service, shared by its verticle instances, for {@code fetch.status}. */
final class FetchStats {

  final AtomicLong calls = new AtomicLong();
  final AtomicLong activeCalls = new AtomicLong();
  final AtomicLong urls = new AtomicLong();
  final AtomicLong ok = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong timeouts = new AtomicLong();
  final AtomicLong cancelled = new AtomicLong();

  void count(JsonObject totals) {
    urls.addAndGet(totals.getInteger("count"));
    ok.addAndGet(totals.getInteger("ok"));
    errors.addAndGet(totals.getInteger("errors"));
    timeouts.addAndGet(totals.getInteger("timeouts"));
    cancelled.addAndGet(totals.getInteger("cancelled"));
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("calls", calls.get())
      .put("active_calls", activeCalls.get())
      .put("urls", urls.get())
      .put("ok", ok.get())
      .put("errors", errors.get())
      .put("timeouts", timeouts.get())
      .put("cancelled", cancelled.get());
  }
}
