package org.concurrencylab.bff.shop;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shop's control plane on this node: {@code shop.status} (the four services' URLs, their counters and
 * the fault plans) and {@code shop.faults}, which reads or changes the fault plans while everything runs.
 */
final class ShopControlVerticle extends VerticleBase {

  private final Faults faults;
  private final ShopStats stats;
  private final Map<ShopService, AtomicInteger> ports;
  private final String node;

  ShopControlVerticle(Faults faults, ShopStats stats, Map<ShopService, AtomicInteger> ports, String node) {
    this.faults = faults;
    this.stats = stats;
    this.ports = ports;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    String host = config().getString("host", "127.0.0.1");
    JsonArray endpoints = new JsonArray();
    for (ShopService service : ShopService.values()) {
      endpoints.add(ServiceStatus.endpoint(service.label(), "http://" + host + ":" + ports.get(service).get()));
    }
    return Future.all(
      ServiceStatus.serve(vertx, ShopModule.NAME, node, endpoints,
        () -> new JsonObject().put("services", stats.toJson()).put("faults", faults.toJson())),
      Bus.serve(vertx, ShopModule.FAULTS, this::faults));
  }

  /**
   * {@code {}} reads the plans; {@code {service, fail_share?, fail_with?, slow_share?, slow_ms?}} replaces one
   * service's plan (missing fields: none); {@code service: "all"} gives every service the plan (so
   * {@code {service: "all"}} alone clears every fault).
   */
  private Future<JsonObject> faults(Message<Object> message) {
    JsonObject request = Bus.jsonBody(message);
    if (request.containsKey("service")) {
      Object name = request.getValue("service");
      FaultPlan plan;
      try {
        plan = FaultPlan.fromJson(request);
      } catch (IllegalArgumentException e) {
        throw Failure.BAD_REQUEST.exception(e.getMessage());
      }
      if ("all".equals(name)) {
        for (ShopService service : ShopService.values()) {
          faults.set(service, plan);
        }
      } else {
        ShopService service = name instanceof String label ? ShopService.byLabel(label) : null;
        if (service == null) {
          throw Failure.BAD_REQUEST.exception("service must be products, inventory, favorites, cart or all");
        }
        faults.set(service, plan);
      }
    } else if (!request.isEmpty()) {
      throw Failure.BAD_REQUEST.exception("name the service whose faults to set, or send {} to read them");
    }
    return Future.succeededFuture(new JsonObject().put("faults", faults.toJson()));
  }
}
