package org.concurrencylab.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.concurrent.atomic.AtomicInteger;

/** The {@code http} service: the lab's HTTP server on {@code LAB_HTTP_PORT}. */
public final class HttpModule implements ServiceModule {

  @Override
  public String name() {
    return "http";
  }

  @Override
  public String summary() {
    return "the lab's HTTP server: /health, the web UI, the event-bus bridge and every service's routes";
  }

  /**
   * Deploys one server verticle per core ({@code http_instances}, 0 = cores). The first one binds; the others
   * share its actual port, so port 0 (tests) gives one random port for all of them.
   */
  @Override
  public Future<?> deploy(ModuleContext context) {
    int configured = context.config().getInteger("http_instances", 0);
    int instances = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    AtomicInteger port = new AtomicInteger(context.config().getInteger("http_port"));
    AtomicInteger created = new AtomicInteger();
    return context.deploy(() -> new HttpServerVerticle(context, port, created.getAndIncrement() == 0))
      .compose(first -> instances == 1 ? Future.succeededFuture()
        : context.deploy(() -> new HttpServerVerticle(context, port, false),
          new DeploymentOptions().setInstances(instances - 1)));
  }
}
