package org.concurrencylab.bff;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the backend-for-frontend has answered, shared by its event loops; the peer bff.py counts the same. */
final class BffStats {

  final AtomicLong requests = new AtomicLong();
  final AtomicLong inFlight = new AtomicLong();
  final LongAdder inventory = new LongAdder();
  final LongAdder inventoryNull = new LongAdder();
  final LongAdder favoritesNull = new LongAdder();
  final LongAdder cartNull = new LongAdder();
  final LongAdder retries = new LongAdder();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

  void answered(int status) {
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  JsonObject toJson() {
    JsonObject byStatus = new JsonObject();
    new TreeMap<>(statuses).forEach((status, count) -> byStatus.put(String.valueOf(status), count.sum()));
    long records = inventory.sum();
    long nulls = inventoryNull.sum();
    return new JsonObject()
      .put("requests", requests.get())
      .put("in_flight", inFlight.get())
      .put("statuses", byStatus)
      .put("inventory", records)
      .put("inventory_null", nulls)
      .put("null_share", records == 0 ? null : Math.round(1000.0 * nulls / records) / 1000.0)
      .put("favorites_null", favoritesNull.sum())
      .put("cart_null", cartNull.sum())
      .put("retries", retries.sum());
  }
}
