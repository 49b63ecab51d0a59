package org.concurrencylab.bff.shop;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;
import org.concurrencylab.spi.StartupException;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The {@code shop} service (chapter 10's backend services): products, inventory, favorites and cart on the
 * bus and on {@code bff_services_port} .. +3, with faults that can be switched on at run time.
 */
public final class ShopModule implements ServiceModule {

  public static final String NAME = "shop";
  /** Reads or changes the fault plans: see {@link ShopControlVerticle}. */
  public static final String FAULTS = "shop.faults";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "ch10 backend services: products, inventory, favorites, cart (shop.*, HTTP bff_services_port..+3), faults";
  }

  @Override
  public boolean needsDatabase() {
    return true;
  }

  /**
   * Deploys each service on one event loop per core, sharing its port; with {@code bff_services_port} 0 each
   * service gets a random port of its own and one instance (a negative "shared random port" would need four
   * distinct numbers no other server of the node uses).
   */
  @Override
  public Future<?> deploy(ModuleContext context) {
    JsonObject config = context.config();
    int base = config.getInteger("bff_services_port");
    long maxDelay = config.getInteger("bff_inventory_max_delay_ms");
    if (base > 65_535 - 3) {
      return Future.failedFuture(new StartupException("bff_services_port",
        "the four services need ports " + base + " to " + (base + 3) + ": at most 65532"));
    }
    if (maxDelay > FaultPlan.MAX_SLOW_MS) {
      return Future.failedFuture(new StartupException("bff_inventory_max_delay_ms",
        "must be from 0 to " + FaultPlan.MAX_SLOW_MS + ", not " + maxDelay));
    }
    int instances = base == 0 ? 1 : Runtime.getRuntime().availableProcessors();
    Faults faults = new Faults();
    ShopStats stats = new ShopStats();
    InventoryDice dice = new InventoryDice(config.getInteger("bff_inventory_seed"), maxDelay);
    Map<ShopService, AtomicInteger> ports = new EnumMap<>(ShopService.class);
    List<Future<String>> services = new ArrayList<>();
    for (ShopService service : ShopService.values()) {
      AtomicInteger actual = new AtomicInteger();
      ports.put(service, actual);
      int port = base == 0 ? 0 : base + service.portOffset();
      Supplier<ShopServiceVerticle> verticle = switch (service) {
        case PRODUCTS -> () -> new ProductsVerticle(faults, stats, port, actual);
        case INVENTORY -> () -> new InventoryVerticle(dice, faults, stats, port, actual);
        case FAVORITES, CART -> () -> new UserItemsVerticle(service, faults, stats, port, actual);
      };
      services.add(context.deploy(verticle, new DeploymentOptions().setInstances(instances)));
    }
    return Future.all(services)
      .compose(deployed -> context.deploy(() -> new ShopControlVerticle(faults, stats, ports, context.node())));
  }

  @Override
  public void routes(Router router, ModuleContext context) {
    new FaultRoutes(context.vertx()).mount(router);
  }
}
