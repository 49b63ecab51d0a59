package org.concurrencylab.queue.order;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

/**
 * {@code POST /order} (body optional: {@code {"power_user": true}}) answers 202 {@code {id, state}} with a
 * {@code Location}, once the order is stored; a full queue answers 503 with {@code Retry-After: 1} at once
 * instead of holding the request. {@code GET /order/{id}} answers the order and its state
 * ({@code queued}, {@code working}, {@code done}). Both go to {@link OrderDesk} over the bus.
 */
public final class OrderRoutes {

  /** How long a client should wait before trying a full queue again (seconds). */
  static final String RETRY_AFTER_S = "1";

  private OrderRoutes() {
  }

  public static void mount(Router router, Vertx vertx) {
    router.post("/order").handler(ctx -> place(ctx, vertx));
    router.get("/order/:id").handler(ctx -> get(ctx, vertx));
  }

  private static void place(RoutingContext ctx, Vertx vertx) {
    JsonObject body;
    try {
      body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "the body must be a JSON object such as {\"power_user\": true}");
      return;
    }
    Bus.<JsonObject>request(vertx, OrderDesk.PLACE, body == null ? new JsonObject() : body).onComplete(
      order -> {
        ctx.response().putHeader("location", "/order/" + order.getLong("id"));
        HttpResponses.json(ctx, 202, order);
      },
      failure -> {
        if (Failure.of(failure) == Failure.UNAVAILABLE) {
          ctx.response().putHeader("retry-after", RETRY_AFTER_S);
        }
        HttpResponses.error(ctx, failure);
      });
  }

  private static void get(RoutingContext ctx, Vertx vertx) {
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "the order id must be a number, not '" + ctx.pathParam("id") + "'");
      return;
    }
    HttpResponses.reply(ctx, Bus.request(vertx, OrderDesk.GET, new JsonObject().put("id", id)));
  }
}
