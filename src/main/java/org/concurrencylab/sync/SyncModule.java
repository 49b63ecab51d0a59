package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;
import org.concurrencylab.sync.scenario.UploadServer;

import java.util.List;

/**
 * The {@code sync} service (chapter 11): the upload server of 11.10-11.12 on {@code upload_port}, whose
 * completion Events are cluster-wide when the node is clustered, and the chapter's demos.
 */
public final class SyncModule implements ServiceModule {

  @Override
  public String name() {
    return "sync";
  }

  @Override
  public String summary() {
    return "ch11 locks, semaphores, events and conditions (local and cluster-wide); upload server";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    return primitivesOf(context.vertx())
      .compose(primitives -> context.deploy(() -> new UploadServer(primitives, context.node())));
  }

  /** Cluster-wide primitives on a clustered node, else those of the Vert.x instance. */
  static Future<Primitives> primitivesOf(Vertx vertx) {
    return vertx.isClustered() ? Primitives.clustered(vertx) : Future.succeededFuture(Primitives.local(vertx));
  }

  @Override
  public List<Demo> demos() {
    return SyncDemos.all();
  }
}
