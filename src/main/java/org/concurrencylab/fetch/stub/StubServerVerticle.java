package org.concurrencylab.fetch.stub;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.spi.StartupException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of the stub HTTP server, the lab's stand-in for example.com. {@code GET /} answers the
 * stub page, shaped by query parameters ({@link StubRequest}); {@code GET /stats} tells what the stub has
 * seen ({@link StubStats}); {@code POST /reset} zeroes the counters and the seeded failure sequences.
 *
 * <p>A plain request handler rather than a router: the stub is a benchmark target and should cost little.
 */
public final class StubServerVerticle extends VerticleBase {

  public static final String SERVICE = "stub";

  private final StubStats stats;
  private final FailureDice dice;
  private final int port;
  private final AtomicInteger actualPort;
  private final boolean first;
  private final String node;
  private HttpServer server;

  /**
   * @param port       the port to listen on; every instance listens on the same one (-1: a shared random port)
   * @param actualPort set to the port the server got
   * @param first      whether this instance answers {@code stub.status}
   */
  StubServerVerticle(StubStats stats, FailureDice dice, int port, AtomicInteger actualPort, boolean first, String node) {
    this.stats = stats;
    this.dice = dice;
    this.port = port;
    this.actualPort = actualPort;
    this.first = first;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    String host = config().getString("host", "127.0.0.1");
    // Every instance listens on the same port: Vert.x shares one server socket among them, round robin.
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
      .setTcpNoDelay(true).setAcceptBacklog(1024);
    return vertx.createHttpServer(options)
      .connectionHandler(connection -> {
        stats.connectionsOpened.incrementAndGet();
        connection.closeHandler(closed -> stats.connectionsClosed.incrementAndGet());
      })
      .requestHandler(this::handle)
      .listen()
      .recover(failure -> Future.failedFuture(StartupException.cannotListen("stub_port", host, Math.max(port, 0), failure)))
      .compose(listening -> {
        server = listening;
        actualPort.set(listening.actualPort());
        if (!first) {
          return Future.succeededFuture();
        }
        String url = "http://" + host + ":" + listening.actualPort() + "/";
        return ServiceStatus.serve(vertx, SERVICE, node,
          new JsonArray().add(ServiceStatus.endpoint("http", url)), stats::toJson);
      });
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    HttpMethod method = request.method();
    if (path.equals("/") && (method == HttpMethod.GET || method == HttpMethod.HEAD)) {
      page(request);
    } else if (path.equals("/stats") && method == HttpMethod.GET) {
      request.response().putHeader("content-type", "application/json").end(stats.toJson().encode());
    } else if (path.equals("/reset") && method == HttpMethod.POST) {
      stats.reset();
      dice.reset();
      request.response().putHeader("content-type", "application/json").end(stats.toJson().encode());
    } else if (path.equals("/") || path.equals("/stats") || path.equals("/reset")) {
      text(request.response(), 405, "method " + method + " not allowed on " + path + "\n");
    } else {
      text(request.response(), 404, "no page at " + path + " (the stub serves /, /stats and POST /reset)\n");
    }
  }

  private void page(HttpServerRequest request) {
    StubRequest knobs;
    try {
      knobs = StubRequest.of(request.params());
    } catch (IllegalArgumentException e) {
      text(request.response(), 400, e.getMessage() + "\n");
      return;
    }
    stats.started();
    if (knobs.delayMs() == 0) {
      answer(request, knobs);
      return;
    }
    HttpServerResponse response = request.response();
    long timer = vertx.setTimer(knobs.delayMs(), id -> answer(request, knobs));
    // A client that gives up (a cancelled fetch) closes the connection while we wait: stop waiting.
    response.closeHandler(closed -> {
      if (vertx.cancelTimer(timer)) {
        stats.inFlight.decrementAndGet();
        stats.abandoned.incrementAndGet();
      }
    });
  }

  private void answer(HttpServerRequest request, StubRequest knobs) {
    stats.inFlight.decrementAndGet();
    HttpServerResponse response = request.response();
    if (response.closed()) {
      stats.abandoned.incrementAndGet();
      return;
    }
    if (dice.fails(knobs.failRate(), knobs.seed())) {
      stats.failuresSent.incrementAndGet();
      if (knobs.failByReset()) {
        request.connection().close();
      } else {
        text(response, knobs.failStatus(), "stub failure\n");
      }
      return;
    }
    Buffer body = knobs.size() < 0 ? StubPages.DEFAULT : StubPages.ofSize(knobs.size());
    stats.bytesSent.addAndGet(body.length());
    response.setStatusCode(knobs.status()).putHeader("content-type", "text/html; charset=utf-8");
    if (request.method() == HttpMethod.HEAD) {
      response.putHeader("content-length", String.valueOf(body.length())).end();
    } else {
      response.end(body);
    }
  }

  private static void text(HttpServerResponse response, int status, String message) {
    response.setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(message);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
