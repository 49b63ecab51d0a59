package org.concurrencylab.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /health}: asks every known service for its status over the bus, so a service on another
 * cluster node is reported like a local one. 200 when every service of this node is up and none reports
 * down; 503 otherwise. A service no node runs is listed as {@code absent} and does not fail the check
 * unless this node was meant to run it. A status request lost to a node that has just died is sent again
 * (to the next node that runs the service) within the same bound, so a cluster that loses one of two nodes
 * running a service still reports it up.
 */
final class HealthHandler implements Handler<RoutingContext> {

  static final long STATUS_TIMEOUT_MS = 1_500;
  /** One attempt of a status request; a live node answers in well under a millisecond. */
  static final long STATUS_ATTEMPT_MS = 500;

  private final ModuleContext context;

  HealthHandler(ModuleContext context) {
    this.context = context;
  }

  @Override
  public void handle(RoutingContext ctx) {
    List<String> services = context.knownServices();
    List<Future<JsonObject>> replies = new ArrayList<>();
    for (String service : services) {
      replies.add(Bus.<JsonObject>requestIdempotent(context.vertx(), ServiceStatus.address(service), new JsonObject(),
          STATUS_ATTEMPT_MS, STATUS_TIMEOUT_MS)
        .recover(failure -> Future.succeededFuture(new JsonObject().put("state",
          Failure.of(failure) == Failure.UNAVAILABLE ? ServiceStatus.ABSENT : ServiceStatus.DOWN)
          .put("message", Failure.describe(failure)))));
    }
    Future.join(replies).onComplete(done -> {
      JsonObject byService = new JsonObject();
      boolean healthy = true;
      List<String> local = context.localModules().stream().map(ServiceModule::name).toList();
      for (int i = 0; i < services.size(); i++) {
        JsonObject status = replies.get(i).result();
        status.remove("service");
        String state = status.getString("state");
        byService.put(services.get(i), status);
        if (ServiceStatus.DOWN.equals(state) || (local.contains(services.get(i)) && !ServiceStatus.UP.equals(state))) {
          healthy = false;
        }
      }
      HttpResponses.json(ctx, healthy ? 200 : 503, new JsonObject()
        .put("status", healthy ? ServiceStatus.UP : ServiceStatus.DOWN)
        .put("node", context.node())
        .put("services", byService));
    });
  }
}
