package org.concurrencylab.blocking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A local HTTP server that answers every request after {@code delayMs}, standing in for a slow site so the
 * threads demo can call it with blocking and non-blocking clients. Non-blocking itself: it waits on a timer.
 */
final class SlowServer {

  private SlowServer() {
  }

  static Future<HttpServer> start(Vertx vertx, long delayMs) {
    return vertx.createHttpServer()
      .requestHandler(request -> vertx.setTimer(delayMs, id -> request.response().end("slow answer\n")))
      .listen(0, "127.0.0.1");
  }
}
