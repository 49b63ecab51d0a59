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
 * @param localModules  the modules this node deploys (the HTTP server mounts their routes)
 * @param knownServices the name of every service the lab has, deployed here or not
 */
public record ModuleContext(Vertx vertx, JsonObject config, String node, List<ServiceModule> localModules,
                            List<String> knownServices) {

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
