package org.concurrencylab.basics.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server standing in for the book's example.com (the lab runs without the internet): it
 * answers every GET after a fixed delay, with a timer, so one server overlaps any number of waits. It
 * notices a client that hangs up before its answer, which is how a test sees that a cancelled request
 * really went away.
 */
public final class SlowHttpServer {

  private final HttpServer server;
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger hungUp = new AtomicInteger();
  private final Promise<Void> firstRequest = Promise.promise();
  private final Promise<Void> firstHangUp = Promise.promise();

  private SlowHttpServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a server on 127.0.0.1, a free port, answering each request after {@code delayMillis}. */
  public static Future<SlowHttpServer> start(Vertx vertx, long delayMillis) {
    SlowHttpServer[] created = new SlowHttpServer[1];
    HttpServer server = vertx.createHttpServer()
      .requestHandler(request -> created[0].answerLater(vertx, request, delayMillis));
    created[0] = new SlowHttpServer(server);
    return server.listen(0, "127.0.0.1").map(listening -> created[0]);
  }

  private void answerLater(Vertx vertx, HttpServerRequest request, long delayMillis) {
    firstRequest.tryComplete();
    long timer = vertx.setTimer(delayMillis, fired -> {
      answered.incrementAndGet();
      request.response().putHeader("content-type", "text/plain").end("answered after " + delayMillis + " ms\n");
    });
    request.response().closeHandler(closed -> {
      // The connection went away while the answer was still pending: the client gave up.
      if (vertx.cancelTimer(timer)) {
        hungUp.incrementAndGet();
        firstHangUp.tryComplete();
      }
    });
  }

  /** The request that GETs this server. */
  public RequestOptions request() {
    return new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port()).setURI("/");
  }

  public int port() {
    return server.actualPort();
  }

  /** How many requests got their answer. */
  public int answered() {
    return answered.get();
  }

  /** How many clients hung up before their answer. */
  public int hungUp() {
    return hungUp.get();
  }

  /** Completes when the first request has arrived. */
  public Future<Void> firstRequest() {
    return firstRequest.future();
  }

  /** Completes when a client first hangs up before its answer. */
  public Future<Void> firstHangUp() {
    return firstHangUp.future();
  }

  public Future<Void> close() {
    return server.close();
  }
}
