package org.concurrencylab.spi;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Supplier;

/**
 * What a module is given when it deploys or mounts routes.
 *
 * @param vertx        the node's Vert.x instance
 * @param config       the node's resolved configuration (flat keys, e.g. {@code echo_port}); {@code db_url}
 *                     is set when a database is available
 * @param node         this node's name, as shown in status replies
 * @param localModules  the modules this node deploys
 * @param knownServices the name of every service the lab has, deployed here or not
 * @param routedModules the modules whose HTTP routes this node's server mounts: its own, and those named by
 *                      {@code http_routes} (a gateway node serves the routes of services other nodes run)
 */
public record ModuleContext(Vertx vertx, JsonObject config, String node, List<ServiceModule> localModules,
                            List<String> knownServices, List<ServiceModule> routedModules) {

  /** A context whose HTTP server mounts the routes of this node's own services only. */
  public ModuleContext(Vertx vertx, JsonObject config, String node, List<ServiceModule> localModules,
                       List<String> knownServices) {
    this(vertx, config, node, localModules, knownServices, localModules);
  }

  /**
   * Deploys a verticle with the node's configuration as its {@code config()}, unless the options carry
   * their own.
   */
  public Future<String> deploy(Supplier<? extends Deployable> verticle, DeploymentOptions options) {
    if (options.getConfig() == null || options.getConfig().isEmpty()) {
      options.setConfig(config.copy());
    }
    return vertx.deployVerticle(verticle, options);
  }

  /** {@link #deploy(Supplier, DeploymentOptions)} with one event-loop instance. */
  public Future<String> deploy(Supplier<? extends Deployable> verticle) {
    return deploy(verticle, new DeploymentOptions());
  }
}
