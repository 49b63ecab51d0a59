package org.concurrencylab.bff;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.spi.StartupException;

/**
 * One event loop of the backend-for-frontend: the HTTP server on {@code bff_port} with
 * {@code GET /products/all[?user_id=N]} ({@link PageComposer}), and its own client of the services. The first
 * instance also answers {@code bff.status}: the counters, the breaker's state and the settings.
 */
final class BffVerticle extends VerticleBase {

  private final BffSettings settings;
  private final BffStats stats;
  private final InventoryBreaker breaker;
  private final boolean first;
  private final String node;
  private ShopClient shop;
  private HttpServer server;

  BffVerticle(BffSettings settings, BffStats stats, InventoryBreaker breaker, boolean first, String node) {
    this.settings = settings;
    this.stats = stats;
    this.breaker = breaker;
    this.first = first;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    shop = settings.transport() == BffSettings.Transport.HTTP ? new HttpShopClient(vertx, settings)
      : new BusShopClient(vertx);
    PageComposer composer = new PageComposer(vertx, shop, settings, breaker, stats);
    Router router = Router.router(vertx);
    router.get("/products/all").handler(ctx -> productsAll(ctx, composer));
    router.route().last().handler(ctx -> HttpResponses.error(ctx, Failure.NOT_FOUND,
      "the backend-for-frontend serves GET /products/all[?user_id=N] only"));
    router.route().failureHandler(HttpResponses::routerFailure);
    String host = config().getString("host", "127.0.0.1");
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(settings.port())
      .setTcpNoDelay(true).setAcceptBacklog(1024);
    return vertx.createHttpServer(options).requestHandler(router).listen()
      .recover(failure -> Future.failedFuture(StartupException.cannotListen("bff_port", host, settings.port(), failure)))
      .compose(listening -> {
        server = listening;
        if (!first) {
          return Future.succeededFuture();
        }
        String url = "http://" + host + ":" + listening.actualPort() + "/products/all";
        return ServiceStatus.serve(vertx, BffModule.NAME, node, new JsonArray().add(ServiceStatus.endpoint("http", url)),
          () -> stats.toJson().put("breaker", breaker.toJson()).put("settings", settings.toJson()));
      });
  }

  private void productsAll(RoutingContext ctx, PageComposer composer) {
    String given = ctx.queryParams().get("user_id");
    int userId = settings.userId();
    if (given != null) {
      try {
        userId = Integer.parseInt(given);
      } catch (NumberFormatException e) {
        userId = 0;
      }
      if (userId < 1) {
        stats.answered(400);
        HttpResponses.error(ctx, Failure.BAD_REQUEST, "user_id must be a positive integer, not '" + given + "'");
        return;
      }
    }
    stats.requests.incrementAndGet();
    stats.inFlight.incrementAndGet();
    composer.compose(userId).onComplete(page -> {
      stats.inFlight.decrementAndGet();
      stats.answered(200);
      HttpResponses.json(ctx, 200, page);
    }, failure -> {
      stats.inFlight.decrementAndGet();
      stats.answered(Failure.of(failure).code());
      HttpResponses.error(ctx, failure);
    });
  }

  @Override
  public Future<?> stop() {
    Future<?> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> shop == null ? Future.succeededFuture() : shop.close());
  }
}
