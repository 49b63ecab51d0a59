package org.concurrencylab.bff;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;
import org.concurrencylab.spi.StartupException;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code bff} service (chapter 10): the book's backend-for-frontend on {@code bff_port}, and
 * {@code demo breaker}. Its services are the {@code shop}'s, on any node (bus) or any server (HTTP).
 */
public final class BffModule implements ServiceModule {

  static final String NAME = "bff";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "ch10 backend-for-frontend: GET /products/all on bff_port, deadlines, retries, circuit breaker";
  }

  /**
   * One server verticle per core ({@code bff_instances}, 0 = cores; one on port 0, which would otherwise
   * give each instance a random port of its own), sharing the port, the counters and ONE breaker.
   */
  @Override
  public Future<?> deploy(ModuleContext context) {
    BffSettings settings;
    try {
      settings = BffSettings.from(context.config());
    } catch (StartupException e) {
      return Future.failedFuture(e);
    }
    int instances = settings.port() == 0 ? 1
      : settings.instances() > 0 ? settings.instances() : Runtime.getRuntime().availableProcessors();
    BffStats stats = new BffStats();
    InventoryBreaker breaker = new InventoryBreaker(context.vertx(), settings.breaker(), context.node());
    AtomicInteger created = new AtomicInteger();
    // The verticles get only the setting they read: for every HTTP client request Vert.x builds a context,
    // which copies the deployment's options with their config (the node's ~100 keys), 1,000 times a page.
    JsonObject config = new JsonObject().put("host", context.config().getString("host"));
    return context.deploy(() -> new BffVerticle(settings, stats, breaker, created.getAndIncrement() == 0, context.node()),
      new DeploymentOptions().setInstances(instances).setConfig(config));
  }

  @Override
  public List<Demo> demos() {
    return List.of(new BreakerDemo());
  }
}
