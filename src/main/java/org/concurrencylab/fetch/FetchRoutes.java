package org.concurrencylab.fetch;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

import java.util.UUID;

/**
 * The fetch service over HTTP, on the lab's HTTP server. {@code POST /fetch} takes the body of
 * {@code fetch.run} and answers with its reply. {@code /fetch/ws} is a WebSocket: the client sends one
 * text frame with the same body, then receives {@code {type: "result", ...}} for each URL as it lands and
 * {@code {type: "done", totals, ...}} at the end; closing the socket early cancels the call. Both reach
 * the service over the bus only.
 */
final class FetchRoutes {

  /** 10,000 URLs of up to 2 KB each would exceed this: long lists should use url with count. */
  static final long BODY_LIMIT = 4L * 1024 * 1024;

  private final Vertx vertx;

  FetchRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void mount(Router router) {
    router.post("/fetch").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT)).handler(this::fetch);
    router.get("/fetch/ws").handler(this::socket);
  }

  private void fetch(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "the body must be a JSON object");
      return;
    }
    if (body == null) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "the body must be a JSON object");
      return;
    }
    if (body.containsKey("publish")) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST,
        "publish is for bus callers; over HTTP, use the WebSocket /fetch/ws to get results as they land");
      return;
    }
    HttpResponses.reply(ctx, Bus.request(vertx, FetchVerticle.RUN, body, FetchRequest.replyTimeoutMs(body)));
  }

  private void socket(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "/fetch/ws is a WebSocket: connect with a WebSocket client");
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> ws.handler(frame -> {
      // Only the first frame is the call; later frames are ignored.
      ws.handler(null);
      streamCall(ws, frame.toString());
    })).onFailure(ctx::fail);
  }

  private void streamCall(ServerWebSocket ws, String text) {
    JsonObject body;
    try {
      body = new JsonObject(text);
    } catch (DecodeException e) {
      closeWithError(ws, Failure.BAD_REQUEST, "the first frame must be a JSON object");
      return;
    }
    String id = UUID.randomUUID().toString();
    String address = "fetch.results." + id;
    body.put("id", id).put("publish", address);
    MessageConsumer<JsonObject> results = vertx.eventBus().consumer(address,
      message -> {
        if (!ws.isClosed()) {
          ws.writeTextMessage(message.body().copy().put("type", "result").encode());
        }
      });
    // The client is gone when it sends a close frame (shutdown) or the connection drops (close): cancel the call.
    Handler<Void> gone = ignored -> {
      results.unregister();
      vertx.eventBus().publish(FetchVerticle.CANCEL,
        new JsonObject().put("id", id).put("reason", "the WebSocket closed"));
    };
    ws.shutdownHandler(gone);
    ws.closeHandler(gone);
    results.completion()
      .compose(registered -> Bus.<JsonObject>request(vertx, FetchVerticle.RUN, body, FetchRequest.replyTimeoutMs(body)))
      .onComplete(reply -> {
        results.unregister();
        reply.remove("results");
        if (!ws.isClosed()) {
          ws.writeTextMessage(reply.put("type", "done").encode()).onComplete(written -> ws.close());
        }
      }, failure -> {
        results.unregister();
        closeWithError(ws, Failure.of(failure), Failure.describe(failure));
      });
  }

  private static void closeWithError(ServerWebSocket ws, Failure failure, String message) {
    if (ws.isClosed()) {
      return;
    }
    ws.writeTextMessage(new JsonObject().put("type", "error").put("error", failure.error())
        .put("code", failure.code()).put("message", message).encode())
      .onComplete(written -> ws.close());
  }
}
