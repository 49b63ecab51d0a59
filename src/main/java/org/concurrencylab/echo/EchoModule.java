package org.concurrencylab.echo;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import org.concurrencylab.echo.selector.SelectorEchoVerticle;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code echo} service (chapter 3): the Vert.x echo on {@code echo_port}, the hand-written selector echo
 * on {@code selector_echo_port}, their numbers on the bus, and the {@code bench echo} load client.
 */
public final class EchoModule implements ServiceModule {

  public static final String NAME = "echo";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "ch3 TCP echo: Vert.x (echo_port) and a hand-written NIO selector loop (selector_echo_port)";
  }

  /** The Vert.x echo first (one instance per core, sharing the port), then the selector echo, then the status. */
  @Override
  public Future<?> deploy(ModuleContext context) {
    EchoStats tcp = new EchoStats();
    EchoStats selector = new EchoStats();
    AtomicInteger port = new AtomicInteger(context.config().getInteger("echo_port"));
    int instances = Runtime.getRuntime().availableProcessors();
    return context.deploy(() -> new EchoServerVerticle(tcp, port))
      .compose(first -> instances == 1 ? Future.succeededFuture()
        : context.deploy(() -> new EchoServerVerticle(tcp, port), new DeploymentOptions().setInstances(instances - 1)))
      .compose(v -> context.deploy(() -> new SelectorEchoVerticle(selector)))
      .compose(v -> context.deploy(() -> new EchoStatusVerticle(context.node(), tcp, selector)));
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new EchoBenchCommand());
  }
}
