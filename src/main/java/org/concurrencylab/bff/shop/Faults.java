package org.concurrencylab.bff.shop;

import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault plans of this node's shop services, changed at run time and read by every request. Shared by
 * the verticle instances of the node (they run on several event loops), hence the atomics.
 */
final class Faults {

  /** What one request is to suffer: a delay first, then a failure mode or none (null). */
  record Verdict(long slowMs, FaultPlan.FailMode failure) {
    static final Verdict NONE = new Verdict(0, null);
  }

  /** A plan with the counters that make its shares exact; replaced whole, so counting starts again. */
  private record Dial(FaultPlan plan, AtomicLong failCount, AtomicLong slowCount) {
    Dial(FaultPlan plan) {
      this(plan, new AtomicLong(), new AtomicLong());
    }
  }

  private final Map<ShopService, Dial> dials = new EnumMap<>(ShopService.class);

  Faults() {
    for (ShopService service : ShopService.values()) {
      dials.put(service, new Dial(FaultPlan.NONE));
    }
  }

  synchronized void set(ShopService service, FaultPlan plan) {
    dials.put(service, new Dial(plan));
  }

  synchronized void clear() {
    dials.replaceAll((service, dial) -> new Dial(FaultPlan.NONE));
  }

  /** Decides the fate of the next request to {@code service}. */
  Verdict next(ShopService service) {
    Dial dial;
    synchronized (this) {
      dial = dials.get(service);
    }
    FaultPlan plan = dial.plan();
    if (plan == FaultPlan.NONE) {
      return Verdict.NONE;
    }
    long slow = hits(dial.slowCount(), plan.slowShare()) ? plan.slowMs() : 0;
    FaultPlan.FailMode failure = hits(dial.failCount(), plan.failShare()) ? plan.failWith() : null;
    return new Verdict(slow, failure);
  }

  /** True for exactly {@code share} of the calls: the n-th call hits when floor(n * share) steps up. */
  private static boolean hits(AtomicLong counter, double share) {
    if (share <= 0) {
      return false;
    }
    long n = counter.incrementAndGet();
    return (long) Math.floor(n * share) > (long) Math.floor((n - 1) * share);
  }

  synchronized JsonObject toJson() {
    JsonObject json = new JsonObject();
    dials.forEach((service, dial) -> json.put(service.label(), dial.plan().toJson()));
    return json;
  }
}
