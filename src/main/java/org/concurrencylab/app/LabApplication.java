package org.concurrencylab.app;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import org.concurrencylab.cli.ClusterFlushBatching;
import org.concurrencylab.metrics.LabMetrics;
import org.concurrencylab.spi.StartupException;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Vert.x's application launcher (flags {@code -cluster}, {@code -cluster-host}, {@code -options}, ...) set up
 * for the lab: the chosen transport, metrics (unless {@code LAB_METRICS=false}), the Hazelcast cluster of
 * {@code conf/cluster.xml}, and the {@link LabVerticle} as the main verticle. Start-up failures are turned into one clear line and an exit code.
 */
final class LabApplication extends VertxApplication {

  LabApplication(String[] args, ServiceCatalog catalog, JsonObject config) {
    // Print usage for bad flags; never exit from inside the launcher: LabMain decides the exit code.
    super(args, new Hooks(args, catalog, config), true, false);
  }

  private static final class Hooks implements VertxApplicationHooks {

    private final boolean clustered;
    private final ServiceCatalog catalog;
    private final JsonObject config;

    Hooks(String[] args, ServiceCatalog catalog, JsonObject config) {
      this.clustered = Arrays.stream(args).anyMatch(arg -> arg.equals("-cluster") || arg.equals("--cluster")
        || arg.equals("-c"));
      this.catalog = catalog;
      this.config = config;
    }

    @Override
    public VertxBuilder createVertxBuilder(VertxOptions options) {
      if (config.getBoolean("metrics", true)) {
        options.setMetricsOptions(LabMetrics.options()); // fixed when Vert.x is built: served at /metrics
      }
      VertxBuilder builder = Vertx.builder().with(options).withTransport(Transports.choose(config));
      if (clustered) {
        builder.withClusterManager(ClusterSetup.clusterManager(config));
      }
      return builder;
    }

    @Override
    public void afterVertxStarted(HookContext context) {
      ClusterFlushBatching.enable(context.vertx()); // one write(2) per burst of bus messages to a node
    }

    @Override
    public Supplier<? extends Deployable> verticleSupplier() {
      return () -> new LabVerticle(catalog);
    }

    @Override
    public void afterFailureToStartVertx(HookContext context, Throwable cause) {
      System.err.println("error: Vert.x did not start"
        + (clustered ? " (could not join the cluster)" : "") + ": " + (cause == null ? "timed out" : cause.getMessage()));
    }

    @Override
    public void afterFailureToDeployVerticle(HookContext context, Throwable cause) {
      Throwable root = cause;
      while (root != null && !(root instanceof StartupException) && !(root instanceof ConfigException)
        && root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root instanceof StartupException || root instanceof ConfigException) {
        // One line naming the key is the whole story; exiting here spares the user the launcher's stack trace.
        // System.exit runs the launcher's shutdown hook, which closes Vert.x.
        System.err.println("error: " + root.getMessage());
        System.exit(LabMain.EXIT_CONFIG);
      } else {
        System.err.println("error: the lab did not start: " + (cause == null ? "timed out" : cause));
      }
    }
  }
}
