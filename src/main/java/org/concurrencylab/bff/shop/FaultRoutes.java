package org.concurrencylab.bff.shop;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

/**
 * The admin routes of the shop's faults on the lab's HTTP server; they reach the shop over the bus, so they
 * work on any node. {@code GET /shop/faults} reads the plans, {@code PUT /shop/faults/{service}} with a plan
 * ({@code {fail_share, fail_with, slow_share, slow_ms}}) replaces one, {@code DELETE /shop/faults} clears all.
 */
final class FaultRoutes {

  static final long BODY_LIMIT = 4 * 1024;

  private final Vertx vertx;

  FaultRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.get("/shop/faults").handler(ctx -> ask(ctx, new JsonObject()));
    router.delete("/shop/faults").handler(ctx -> ask(ctx, new JsonObject().put("service", "all")));
    router.put("/shop/faults/:service").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT)).handler(this::set);
  }

  private void set(RoutingContext ctx) {
    JsonObject plan;
    try {
      plan = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      plan = null;
    }
    if (plan == null || plan.containsKey("service")) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST,
        "the body must be a JSON object {fail_share?, fail_with?, slow_share?, slow_ms?}");
      return;
    }
    ask(ctx, plan.put("service", ctx.pathParam("service")));
  }

  private void ask(RoutingContext ctx, JsonObject request) {
    HttpResponses.reply(ctx, Bus.request(vertx, ShopModule.FAULTS, request));
  }
}
