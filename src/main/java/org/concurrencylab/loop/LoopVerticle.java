package org.concurrencylab.loop;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.ServiceStatus;

/**
 * The {@code loop} service of a node: the 14.2 line logger, its {@code loop.record} log book, the echo on our
 * own event loop (14.13), and its status.
 */
final class LoopVerticle extends VerticleBase {

  private final String node;

  LoopVerticle(String node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    LineLoggerVerticle logger = new LineLoggerVerticle();
    LoopEchoVerticle echo = new LoopEchoVerticle();
    DeploymentOptions options = new DeploymentOptions().setConfig(config());
    // Children: undeploying this verticle undeploys them.
    return vertx.deployVerticle(new RecordVerticle(node), options)
      .compose(id -> vertx.deployVerticle(logger, options))
      .compose(id -> vertx.deployVerticle(echo, options))
      .compose(id -> {
        String host = config().getString("host", "127.0.0.1");
        return ServiceStatus.serve(vertx, "loop", node, new JsonArray()
          .add(ServiceStatus.endpoint("line logger", "tcp://" + host + ":" + logger.actualPort()))
          .add(ServiceStatus.endpoint("custom loop echo", echo.url()))
          .add(ServiceStatus.endpoint("bus", RecordVerticle.ADDRESS)), () -> new JsonObject().put("echo", echo.stats()));
      });
  }
}
