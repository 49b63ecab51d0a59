package org.concurrencylab.bff.shop;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.spi.StartupException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of a shop service: the same work offered on the bus ({@code shop.<service>}) and over HTTP
 * (the book's URL on its own port), with this node's {@link Faults} applied to every request whichever way
 * it came. A subclass says what the service answers ({@link #answer}) and how the book's HTTP body looks
 * ({@link #httpBody}).
 *
 * <p>Over HTTP the peer's per-request knobs work too ({@code bff_services.py}): {@code ?fail=1} answers 500
 * at once, {@code ?delay_ms=N} waits N ms first (on inventory, instead of its own random delay).
 */
abstract class ShopServiceVerticle extends VerticleBase {

  /** A request that is told to stay silent is dropped (its connection closed) after this long. */
  static final long SILENCE_CAP_MS = 60_000;
  /** The body a request failed with {@code garbage} gets: JSON that stops in the middle. */
  static final String GARBAGE = "{\"oops\": [1, 2, tru";

  /**
   * One request, however it came.
   *
   * @param id      the product or user id, null for products
   * @param delayMs the {@code delay_ms} knob, or -1
   * @param fail    the {@code fail=1} knob
   */
  record Call(Integer id, long delayMs, boolean fail) {
    boolean delayGiven() {
      return delayMs >= 0;
    }
  }

  protected final ShopService service;
  private final Faults faults;
  private final ShopStats.Counters stats;
  private final int port;
  private final AtomicInteger actualPort;
  private HttpServer server;

  /**
   * @param port       the port to listen on (0: a random one), shared by every instance of this service
   * @param actualPort set to the port the server got
   */
  ShopServiceVerticle(ShopService service, Faults faults, ShopStats stats, int port, AtomicInteger actualPort) {
    this.service = service;
    this.faults = faults;
    this.stats = stats.of(service);
    this.port = port;
    this.actualPort = actualPort;
  }

  /** Prepares what the service needs before it takes requests (a pool, say). */
  protected Future<?> prepare() {
    return Future.succeededFuture();
  }

  /** Releases what {@link #prepare()} took. */
  protected Future<?> release() {
    return Future.succeededFuture();
  }

  /** The bus reply to a call that suffers no fault: {@code {products: [...]}}, {@code {inventory: n}}, ... */
  protected abstract Future<JsonObject> answer(Call call);

  /** The book's HTTP body for a reply of {@link #answer}: a JSON array or object. */
  protected abstract Object httpBody(JsonObject reply);

  @Override
  public Future<?> start() {
    String host = config().getString("host", "127.0.0.1");
    Router router = Router.router(vertx);
    router.get(service.path()).handler(this::overHttp);
    router.route().last().handler(ctx -> HttpResponses.error(ctx, Failure.NOT_FOUND,
      "the " + service.label() + " service answers GET " + service.path().replace(":id", "{id}") + " only"));
    router.route().failureHandler(HttpResponses::routerFailure);
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
      .setAcceptBacklog(1024);
    return prepare()
      .compose(v -> vertx.createHttpServer(options).requestHandler(router).listen()
        .recover(failure -> Future.failedFuture(
          StartupException.cannotListen("bff_services_port", host, port, failure))))
      .compose(listening -> {
        server = listening;
        actualPort.set(listening.actualPort());
        return Bus.serve(vertx, service.address(), this::overBus);
      });
  }

  @Override
  public Future<?> stop() {
    Future<?> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(this::release);
  }

  private Future<Object> overBus(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    Integer id = null;
    if (service.idField() != null) {
      Object value = body.getValue(service.idField());
      if (!(value instanceof Integer number) || number < 1) {
        stats.badRequests.incrementAndGet();
        throw Failure.BAD_REQUEST.exception(service.idField() + " must be a positive integer");
      }
      id = number;
    }
    return serve(new Call(id, -1, false)).compose(outcome -> {
      if (outcome instanceof JsonObject reply) {
        return Future.succeededFuture(reply);
      }
      return switch ((FaultPlan.FailMode) outcome) {
        case ERROR -> Future.failedFuture(Failure.INTERNAL.exception(service.label() + " failed on purpose"));
        case GARBAGE -> Future.succeededFuture(GARBAGE);
        // No reply: the requester's timeout ends its wait, as with a service that hangs.
        case SILENCE -> Promise.promise().future();
      };
    });
  }

  private void overHttp(RoutingContext ctx) {
    Call call;
    try {
      call = httpCall(ctx);
    } catch (IllegalArgumentException e) {
      stats.badRequests.incrementAndGet();
      HttpResponses.error(ctx, Failure.BAD_REQUEST, e.getMessage());
      return;
    }
    serve(call).onComplete(outcome -> {
      if (outcome instanceof JsonObject reply) {
        HttpResponses.json(ctx, 200, httpBody(reply));
        return;
      }
      switch ((FaultPlan.FailMode) outcome) {
        case ERROR -> HttpResponses.error(ctx, Failure.INTERNAL, service.label() + " failed on purpose");
        case GARBAGE -> ctx.response().putHeader("content-type", "application/json").end(GARBAGE);
        case SILENCE -> holdSilently(ctx);
      }
    }, failure -> HttpResponses.error(ctx, failure));
  }

  private Call httpCall(RoutingContext ctx) {
    Integer id = null;
    if (service.idField() != null) {
      String text = ctx.pathParam("id");
      try {
        id = Integer.parseInt(text);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("id must be an integer, not '" + text + "'");
      }
      if (id < 1) {
        throw new IllegalArgumentException("id must be a positive integer, not " + id);
      }
    }
    MultiMap query = ctx.queryParams();
    long delay = -1;
    String delayText = query.get("delay_ms");
    if (delayText != null) {
      try {
        delay = Long.parseLong(delayText);
      } catch (NumberFormatException e) {
        delay = -2;
      }
      if (delay < 0 || delay > FaultPlan.MAX_SLOW_MS) {
        throw new IllegalArgumentException("delay_ms must be an integer from 0 to " + FaultPlan.MAX_SLOW_MS);
      }
    }
    return new Call(id, delay, "1".equals(query.get("fail")));
  }

  /**
   * Applies the faults, then answers: the outcome is the reply (a JsonObject) or the {@link FaultPlan.FailMode}
   * to show. The knob {@code fail=1} fails at once; a fault plan's delay comes before its failure.
   */
  private Future<Object> serve(Call call) {
    stats.requests.incrementAndGet();
    Faults.Verdict verdict = call.fail() ? new Faults.Verdict(0, FaultPlan.FailMode.ERROR) : faults.next(service);
    long waitMs = verdict.slowMs() + (call.delayGiven() && service != ShopService.INVENTORY ? call.delayMs() : 0);
    if (verdict.slowMs() > 0) {
      stats.slowed.incrementAndGet();
    }
    Future<Void> waited = waitMs > 0 ? vertx.timer(waitMs) : Future.succeededFuture();
    return waited.compose(v -> {
      if (verdict.failure() == null) {
        return answer(call).<Object>map(reply -> {
          stats.answered.incrementAndGet();
          return reply;
        }).onFailure(failure -> stats.errors.incrementAndGet());
      }
      if (verdict.failure() == FaultPlan.FailMode.SILENCE) {
        stats.silenced.incrementAndGet();
      } else {
        stats.failedOnPurpose.incrementAndGet();
      }
      return Future.succeededFuture(verdict.failure());
    });
  }

  /** Never answers; drops the connection after {@link #SILENCE_CAP_MS} so that silence costs no more than that. */
  private void holdSilently(RoutingContext ctx) {
    long timer = vertx.setTimer(SILENCE_CAP_MS, id -> ctx.request().connection().close());
    ctx.response().closeHandler(closed -> vertx.cancelTimer(timer));
  }
}
