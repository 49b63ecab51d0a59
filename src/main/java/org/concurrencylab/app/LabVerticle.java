package org.concurrencylab.app;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.database.EmbeddedDatabase;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;
import org.concurrencylab.trace.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * The main verticle of a node: starts the embedded PostgreSQL when a service needs one and no
 * {@code LAB_DB_URL} is given, deploys the node's services in catalogue order (their verticles become this
 * verticle's children, so undeploying it stops them all), then prints what listens where.
 */
public final class LabVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(LabVerticle.class);

  private final ServiceCatalog catalog;
  private EmbeddedDatabase database;

  public LabVerticle(ServiceCatalog catalog) {
    this.catalog = catalog;
  }

  /** A lab node with every service of the catalogue available. */
  public LabVerticle() {
    this(ServiceCatalog.all());
  }

  @Override
  public Future<?> start() {
    JsonObject config = LabConfig.resolve(LabConfig.defaults(), java.util.Map.of(), config());
    List<ServiceModule> modules = catalog.select(config.getString("services"));
    String node = config.getString("node_name").isBlank()
      ? "node-" + ProcessHandle.current().pid()
      : config.getString("node_name");
    config.put("node_name", node);
    ModuleContext context = new ModuleContext(vertx, config, node, modules, catalog.names(),
      catalog.routed(modules, config.getString("http_routes")));
    RequestIds.install(vertx); // request ids travel with bus messages and show in log lines, on every node
    return startDatabase(config, modules)
      .compose(v -> deployInOrder(modules, context))
      .compose(v -> vertx.deployVerticle(new MemberRegistry(node, modules.stream().map(ServiceModule::name).toList(),
        catalog.names(), config.getString("host")))) // lab.members: this node, its services, for dashboards
      .compose(v -> StartupReport.print(vertx, config, modules));
  }

  private Future<Void> startDatabase(JsonObject config, List<ServiceModule> modules) {
    boolean needed = modules.stream().anyMatch(ServiceModule::needsDatabase);
    if (!needed || !config.getString("db_url").isBlank()) {
      return Future.succeededFuture();
    }
    Path dir = Path.of(config.getString("data_dir"), "postgres");
    log.info("starting the embedded PostgreSQL in {}", dir.toAbsolutePath());
    return vertx.executeBlocking(() -> EmbeddedDatabase.start(dir), false)
      .map(started -> {
        database = started;
        config.put("db_url", started.url());
        return null;
      });
  }

  private static Future<Void> deployInOrder(List<ServiceModule> modules, ModuleContext context) {
    Future<?> chain = Future.succeededFuture();
    for (ServiceModule module : modules) {
      chain = chain.compose(v -> module.deploy(context)
        .onSuccess(ignored -> log.debug("service {} deployed", module.name())));
    }
    return chain.mapEmpty();
  }

  @Override
  public Future<?> stop() {
    // Child deployments (the services) are undeployed before this runs, so no pool still uses the server.
    if (database == null) {
      return Future.succeededFuture();
    }
    EmbeddedDatabase stopping = database;
    database = null;
    return vertx.executeBlocking(() -> {
      stopping.close();
      return null;
    }, false);
  }
}
