package org.concurrencylab.bff.shop;

import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the shop services of this node have seen, per service; shared by their verticle instances. */
final class ShopStats {

  /** One service's counters. */
  static final class Counters {
    final AtomicLong requests = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong badRequests = new AtomicLong();
    final AtomicLong failedOnPurpose = new AtomicLong();
    final AtomicLong silenced = new AtomicLong();
    final AtomicLong slowed = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    JsonObject toJson() {
      return new JsonObject()
        .put("requests", requests.get())
        .put("answered", answered.get())
        .put("bad_requests", badRequests.get())
        .put("failed_on_purpose", failedOnPurpose.get())
        .put("silenced", silenced.get())
        .put("slowed", slowed.get())
        .put("errors", errors.get());
    }
  }

  private final Map<ShopService, Counters> counters = new EnumMap<>(ShopService.class);

  ShopStats() {
    for (ShopService service : ShopService.values()) {
      counters.put(service, new Counters());
    }
  }

  Counters of(ShopService service) {
    return counters.get(service);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    counters.forEach((service, c) -> json.put(service.label(), c.toJson()));
    return json;
  }
}
