package org.concurrencylab.sync.scenario;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP server that answers every request after {@code delayMs} and remembers the most requests it
 * ever had in flight at once: the witness of the semaphore demos (the book fetched example.com; a local
 * server can say how many requests reached it together).
 */
public final class CountingServer {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private HttpServer server;

  private CountingServer() {
  }

  /** Starts on 127.0.0.1, port 0 (read it from {@link #port()}). */
  public static Future<CountingServer> start(Vertx vertx, long delayMs) {
    CountingServer counting = new CountingServer();
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setAcceptBacklog(2048))
      .requestHandler(request -> {
        counting.maxInFlight.accumulateAndGet(counting.inFlight.incrementAndGet(), Math::max);
        vertx.setTimer(Math.max(1, delayMs), t -> {
          counting.inFlight.decrementAndGet();
          counting.served.incrementAndGet();
          request.response().end("ok");
        });
      })
      .listen()
      .map(listening -> {
        counting.server = listening;
        return counting;
      });
  }

  public int port() {
    return server.actualPort();
  }

  /** The most requests in flight at one time since the last {@link #reset()}. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  public int served() {
    return served.get();
  }

  public void reset() {
    maxInFlight.set(0);
    served.set(0);
  }

  public Future<Void> close() {
    return server.close();
  }
}
