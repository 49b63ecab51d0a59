package org.concurrencylab.web;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

/**
 * The {@code web} service (chapter 9): the REST API and the {@code /counter} WebSocket on the lab's HTTP
 * server of this node. It keeps no data: every request goes to the products store over the bus, on this node
 * or another.
 */
public final class WebModule implements ServiceModule {

  static final String NAME = "web";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "ch9: REST API over products.* (/brands, /products/{id}, POST /product, /time, /skus/stream), "
      + "WebSocket /counter";
  }

  /** The node's WebSocket counter; the routes themselves are mounted by the HTTP server. */
  @Override
  public Future<?> deploy(ModuleContext context) {
    return context.deploy(() -> new ConnectionCounter(context.node()));
  }

  @Override
  public void routes(Router router, ModuleContext context) {
    long timeoutMs = context.config().getLong("request_timeout_ms", 5_000L);
    ProductApi.mount(router, context.vertx(), timeoutMs);
    router.get("/counter").handler(new CounterSocket(context.vertx()));
  }
}
