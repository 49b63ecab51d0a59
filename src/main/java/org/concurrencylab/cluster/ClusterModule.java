package org.concurrencylab.cluster;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;

/**
 * The {@code cluster} service: a responder on each node that runs it ({@code cluster.ping}, {@code cluster.sink}),
 * {@code GET /cluster/ping}, and {@code bench cluster}, the event-bus benchmark that joins the cluster.
 */
public final class ClusterModule implements ServiceModule {

  static final String NAME = "cluster";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "the cluster itself: cluster.ping answers from its node, GET /cluster/ping, bench cluster";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    return context.deploy(() -> new PingResponder(context.node()));
  }

  @Override
  public void routes(Router router, ModuleContext context) {
    PingRoute.mount(router, context.vertx(), context.config().getLong("request_timeout_ms", Bus.DEFAULT_TIMEOUT_MS));
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new ClusterBenchCommand(), new TcpPingPongCommand());
  }
}
