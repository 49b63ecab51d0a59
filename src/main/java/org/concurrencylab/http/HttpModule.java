package org.concurrencylab.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.concurrent.atomic.AtomicInteger;

/** The {@code http} service: the lab's HTTP server on {@code LAB_HTTP_PORT}. */
public final class HttpModule implements ServiceModule {

  /** Tells apart the shared random ports of several lab nodes in one Vert.x instance (tests). */
  private static final AtomicInteger RANDOM_PORT_GROUPS = new AtomicInteger();

  @Override
  public String name() {
    return "http";
  }

  @Override
  public String summary() {
    return "the lab's HTTP server: /health, the web UI, the event-bus bridge and every service's routes";
  }

  /**
   * Deploys one server verticle per core ({@code http_instances}, 0 = cores); Vert.x shares their listening
   * socket. Port 0 becomes a negative port, Vert.x's "one random port shared by every instance listening on
   * this same number" (with 0 each instance would bind a port of its own).
   */
  @Override
  public Future<?> deploy(ModuleContext context) {
    int configured = context.config().getInteger("http_instances", 0);
    int instances = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    int port = context.config().getInteger("http_port");
    int listenPort = port == 0 ? -RANDOM_PORT_GROUPS.incrementAndGet() : port;
    int[] created = {0};
    return context.deploy(() -> new HttpServerVerticle(context, listenPort, created[0]++ == 0),
      new DeploymentOptions().setInstances(instances));
  }
}
