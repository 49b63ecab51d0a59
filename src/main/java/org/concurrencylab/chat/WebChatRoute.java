package org.concurrencylab.chat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Failure;

/**
 * {@code GET /chat?user=NAME} upgraded to a WebSocket: the same room as the TCP server, the same lines. Each
 * text message the browser sends is a line; each message it receives is one or more lines, each ending with
 * {@code \n}. One instance per HTTP server verticle, with a {@link RoomShard} on that verticle's event loop,
 * started with its first user. It reaches the chat service over the event bus only (the registry's
 * {@code chat.join} / {@code chat.leave} and the room's address), like any other node would.
 */
final class WebChatRoute {

  private final RoomShard shard;
  private Future<Void> started;

  private WebChatRoute(RoomShard shard) {
    this.shard = shard;
  }

  /** Called on the HTTP server verticle's event loop, which then owns the route's shard. */
  static void mount(Router router, Vertx vertx, ChatSettings settings) {
    WebChatRoute route = new WebChatRoute(new RoomShard(vertx, settings, ChatStats.of(vertx)));
    router.get("/chat").handler(route::handle);
  }

  private void handle(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST,
        "/chat is a WebSocket (ws://host:port/chat?user=NAME); the chat page is /chat.html");
      return;
    }
    String user = ctx.request().getParam("user", "").strip();
    if (started == null) {
      started = shard.start();
    }
    started
      .compose(v -> ctx.request().toWebSocket())
      .onSuccess(socket -> new WebMember(socket, shard).start(user))
      .onFailure(failure -> HttpResponses.error(ctx, failure));
  }
}
