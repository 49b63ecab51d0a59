package org.concurrencylab.fetch;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/**
 * The {@code fetch} service (chapter 4): many HTTP GETs at once, waited for as the book's gather,
 * as_completed or asyncio.wait would, on the bus ({@code fetch.run}) and over HTTP ({@code POST /fetch},
 * the WebSocket {@code /fetch/ws}).
 */
public final class FetchModule implements ServiceModule {

  @Override
  public String name() {
    return FetchVerticle.SERVICE;
  }

  @Override
  public String summary() {
    return "ch4 concurrent HTTP GETs: all / as-completed / first / first-error, limit, timeouts (fetch.run, POST /fetch)";
  }

  /** One verticle per core: each call runs on one event loop, and calls spread over the loops. */
  @Override
  public Future<?> deploy(ModuleContext context) {
    return deploy(context, Runtime.getRuntime().availableProcessors());
  }

  static Future<String> deploy(ModuleContext context, int instances) {
    FetchStats stats = new FetchStats();
    return context.deploy(() -> new FetchVerticle(stats, true, context.node()))
      .compose(first -> instances <= 1 ? Future.succeededFuture(first)
        : context.deploy(() -> new FetchVerticle(stats, false, context.node()),
          new DeploymentOptions().setInstances(instances - 1)));
  }

  @Override
  public void routes(Router router, ModuleContext context) {
    new FetchRoutes(context.vertx()).mount(router);
  }

  @Override
  public List<Demo> demos() {
    return List.of(new FetchDemo());
  }
}
