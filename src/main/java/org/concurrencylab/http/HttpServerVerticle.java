package org.concurrencylab.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.metrics.MetricsHandler;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;
import org.concurrencylab.spi.StartupException;
import org.concurrencylab.trace.RequestIds;

/**
 * One instance of the lab's HTTP server. Its router: {@code /health}, the routes of the services deployed
 * on this node and of those {@code http_routes} names (a gateway's: they run on other nodes), the event-bus
 * bridge at {@code /eventbus}, and the web UI from {@code webroot/}.
 */
final class HttpServerVerticle extends VerticleBase {

  private final ModuleContext context;
  private final int port;
  private final boolean first;
  private HttpServer server;

  /**
   * @param port  the port to listen on; negative is Vert.x's shared random port
   * @param first whether this instance answers {@code http.status} for the node
   */
  HttpServerVerticle(ModuleContext context, int port, boolean first) {
    this.context = context;
    this.port = port;
    this.first = first;
  }

  @Override
  public Future<?> start() {
    String host = context.config().getString("host");
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::http); // first: every route's work carries the request's id
    router.get("/health").handler(new HealthHandler(context));
    for (ServiceModule module : context.routedModules()) {
      module.routes(router, context);
    }
    BusBridge.mount(router, vertx);
    router.get("/metrics").handler(new MetricsHandler()); // Prometheus' scrape
    // Browsers ask for /favicon.ico whatever the page says; answer with the lab's icon instead of a 404.
    router.get("/favicon.ico").handler(ctx -> ctx.response().putHeader("content-type", "image/svg+xml")
      .sendFile("webroot/favicon.svg"));
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.route("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html"));
    router.route().last().handler(ctx -> HttpResponses.error(ctx, Failure.NOT_FOUND,
      "no route for " + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(HttpResponses::routerFailure);

    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
      .setCompressionSupported(true).setTcpNoDelay(true);
    return vertx.createHttpServer(options)
      .requestHandler(router)
      .listen()
      .recover(failure -> Future.failedFuture(StartupException.cannotListen("http_port", host, port, failure)))
      .compose(listening -> {
        server = listening;
        if (!first) {
          return Future.succeededFuture();
        }
        String url = "http://" + host + ":" + listening.actualPort();
        return ServiceStatus.serve(vertx, "http", context.node(),
          new JsonArray().add(ServiceStatus.endpoint("http", url)), JsonObject::new);
      });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
