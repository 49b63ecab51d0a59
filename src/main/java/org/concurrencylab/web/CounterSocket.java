package org.concurrencylab.web;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Failure;

/**
 * WebSocket {@code /counter} (the book's 9.9): each client receives {@code {"count": N}}, the number of
 * clients connected across the cluster, whenever it changes. A client that reads slowly is sent only the
 * latest count once its socket drains: counts replace each other, so older ones are not worth queueing.
 */
final class CounterSocket implements Handler<RoutingContext> {

  private final Vertx vertx;

  CounterSocket(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("upgrade"))) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "/counter is a WebSocket: connect with ws://.../counter");
      return;
    }
    ctx.request().toWebSocket().onSuccess(this::joined).onFailure(ctx::fail);
  }

  private void joined(ServerWebSocket socket) {
    Latest latest = new Latest(socket);
    MessageConsumer<JsonObject> counts = vertx.eventBus().localConsumer(ConnectionCounter.TOTAL,
      message -> latest.send(message.body().getInteger("count")));
    socket.handler(ignored -> { }); // the book's clients send nothing; whatever they send is dropped
    socket.closeHandler(v -> {
      counts.unregister();
      vertx.eventBus().send(ConnectionCounter.CHANGED, new JsonObject().put("delta", -1));
    });
    counts.completion().onSuccess(v -> vertx.eventBus().send(ConnectionCounter.CHANGED,
      new JsonObject().put("delta", 1)));
  }

  /** Writes the newest count, holding back while the socket's write queue is full. */
  private static final class Latest {
    private final ServerWebSocket socket;
    private Integer unsent;

    Latest(ServerWebSocket socket) {
      this.socket = socket;
      socket.drainHandler(v -> {
        if (unsent != null) {
          int count = unsent;
          unsent = null;
          send(count);
        }
      });
    }

    void send(int count) {
      if (socket.isClosed()) {
        return;
      }
      if (socket.writeQueueFull()) {
        unsent = count;
        return;
      }
      socket.writeTextMessage(new JsonObject().put("count", count).encode());
    }
  }
}
