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

  /** Tells apart the random shared ports of several echo deployments in one Vert.x instance (tests). */
  private static final AtomicInteger RANDOM_PORT_GROUPS = new AtomicInteger();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "ch3 TCP echo: Vert.x (echo_port) and a hand-written NIO selector loop (selector_echo_port)";
  }

  /**
   * The Vert.x echo first ({@code echo_instances} verticles, 0 = one per core, all on one port), then the
   * selector echo, then the status.
   */
  @Override
  public Future<?> deploy(ModuleContext context) {
    EchoStats tcp = new EchoStats();
    EchoStats selector = new EchoStats();
    int configured = context.config().getInteger("echo_instances", 0);
    int instances = configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    int port = context.config().getInteger("echo_port");
    // Port 0 would give each instance a random port of its own; a negative port is Vert.x's way of asking
    // for one random port that every server listening on that same negative number shares.
    int listenPort = port != 0 ? port : -RANDOM_PORT_GROUPS.incrementAndGet();
    return context.deploy(() -> new EchoServerVerticle(tcp, listenPort), new DeploymentOptions().setInstances(instances))
      .compose(v -> context.deploy(() -> new SelectorEchoVerticle(selector)))
      .compose(v -> context.deploy(() -> new EchoStatusVerticle(context.node(), tcp, selector)));
  }

  @Override
  public List<Object> benchCommands() {
    return List.of(new EchoBenchCommand());
  }
}
