package org.concurrencylab.spi;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;

import java.util.List;

/**
 * One service of the lab, named by its package ({@code echo}, {@code basics}, {@code db}, ...). This is the
 * only face a service package shows {@code app/}: a node deploys the modules named in {@code LAB_SERVICES}.
 */
public interface ServiceModule {

  /** The service's name: its package name, also the prefix of its bus addresses. */
  String name();

  /** One line for tables and {@code --help}: what the service is and which chapter it answers. */
  String summary();

  /** True when the service keeps data in PostgreSQL; the node then starts or connects to one first. */
  default boolean needsDatabase() {
    return false;
  }

  /**
   * Deploys the service's verticles. The Future completes when its servers listen and its consumers are
   * registered, and fails with a {@link StartupException} when a configured value (a port in use, say)
   * prevents that.
   */
  default Future<?> deploy(ModuleContext context) {
    return Future.succeededFuture();
  }

  /**
   * Adds the service's HTTP routes to the lab's HTTP server on this node. Route handlers reach the
   * service over the event bus only, so they work the same when its verticles run on another node.
   * Called once per HTTP server instance.
   */
  default void routes(Router router, ModuleContext context) {
  }

  /** The demos of {@code java -jar concurrency-lab.jar demo <name>}. */
  default List<Demo> demos() {
    return List.of();
  }

  /**
   * Top-level commands of {@code java -jar concurrency-lab.jar <command>}: picocli-annotated objects
   * implementing {@code Callable<Integer>}.
   */
  default List<Object> commands() {
    return List.of();
  }

  /** Load clients under {@code java -jar concurrency-lab.jar bench <name>}, picocli-annotated like {@link #commands()}. */
  default List<Object> benchCommands() {
    return List.of();
  }
}
