package org.concurrencylab.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.bus.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON replies and JSON errors. Every error a route sends is {@code {"error": "...", "message": "..."}}
 * with the status of its {@link Failure}; a failure that came back from the bus keeps its code, so a
 * 404 from {@code products.get} is a 404 over HTTP and a service nobody runs is a 503.
 */
public final class HttpResponses {

  private static final Logger log = LoggerFactory.getLogger(HttpResponses.class);

  private HttpResponses() {
  }

  /** Sends {@code body} as JSON with the given status. */
  public static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    String encoded = body instanceof JsonObject json ? json.encode()
      : body instanceof JsonArray array ? array.encode()
      : io.vertx.core.json.Json.encode(body);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(encoded);
  }

  /** Sends an error body for {@code failure} with its status. */
  public static void error(RoutingContext ctx, Failure failure, String message) {
    json(ctx, failure.code(), new JsonObject().put("error", failure.error()).put("message", message));
  }

  /** Sends the error a failed bus request (or any exception) stands for. */
  public static void error(RoutingContext ctx, Throwable cause) {
    Failure failure = Failure.of(cause);
    if (failure == Failure.INTERNAL) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), cause);
    }
    error(ctx, failure, Failure.describe(cause));
  }

  /** Replies with the Future's value as JSON ({@code status} on success) or with its failure. */
  public static void reply(RoutingContext ctx, Future<?> result, int status) {
    result.onComplete(value -> json(ctx, status, value), failure -> error(ctx, failure));
  }

  /** {@link #reply(RoutingContext, Future, int)} with 200. */
  public static void reply(RoutingContext ctx, Future<?> result) {
    reply(ctx, result, 200);
  }

  /**
   * The router's failure handler: statuses set by Vert.x Web (413 body too large, 400 bad body...) and
   * exceptions thrown by handlers become JSON errors instead of HTML pages or dropped connections.
   */
  public static void routerFailure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    int status = ctx.statusCode();
    if (cause != null && status < 400) {
      error(ctx, cause);
      return;
    }
    Failure failure = status == 413 ? null : fromStatus(status);
    if (failure == null) {
      json(ctx, status, new JsonObject().put("error", status == 413 ? "payload_too_large" : "http_" + status)
        .put("message", status == 413 ? "the request body is too large" : "request failed"));
      return;
    }
    error(ctx, failure, cause != null && cause.getMessage() != null ? cause.getMessage() : failure.error().replace('_', ' '));
  }

  private static Failure fromStatus(int status) {
    for (Failure failure : Failure.values()) {
      if (failure.code() == status) {
        return failure;
      }
    }
    return status >= 500 ? Failure.INTERNAL : null;
  }
}
