package org.concurrencylab.fetch.stub;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.spi.ServiceModule;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code stub} service: the lab's local stand-in for the internet, an HTTP server on {@code stub_port}
 * (8090) that the fetch demos, the load tester, the crawler and the benchmarks call instead of example.com.
 * A service of its own so that a node (or a JVM of its own, for benchmarks) can run just the stub.
 */
public final class StubModule implements ServiceModule {

  @Override
  public String name() {
    return StubServerVerticle.SERVICE;
  }

  @Override
  public String summary() {
    return "ch4 stand-in for example.com: GET / with delay_ms, status, size, fail_rate+seed; GET /stats";
  }

  @Override
  public Future<?> deploy(ModuleContext context) {
    return deploy(context, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Deploys {@code instances} server verticles sharing one port and returns that port. Port 0 becomes
   * Vert.x's -1: a random port that every instance shares.
   */
  public static Future<Integer> deploy(ModuleContext context, int instances) {
    StubStats stats = new StubStats();
    FailureDice dice = new FailureDice();
    int configured = context.config().getInteger("stub_port");
    int listenOn = configured == 0 ? -1 : configured;
    AtomicInteger actual = new AtomicInteger();
    return context.deploy(() -> new StubServerVerticle(stats, dice, listenOn, actual, true, context.node()))
      .compose(first -> instances <= 1 ? Future.succeededFuture()
        : context.deploy(() -> new StubServerVerticle(stats, dice, listenOn, actual, false, context.node()),
          new DeploymentOptions().setInstances(instances - 1)))
      .map(deployed -> actual.get());
  }
}
