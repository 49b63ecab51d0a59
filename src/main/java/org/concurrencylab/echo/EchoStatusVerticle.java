package org.concurrencylab.echo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.ServiceStatus;

/**
 * The echo service's face on the bus: {@code echo.status} (what {@code /health} and the start-up table read)
 * and {@code echo.stats}, both with the live numbers of the two echo servers, so they read the same from any
 * node of a cluster.
 */
final class EchoStatusVerticle extends VerticleBase {

  static final String STATS = "echo.stats";

  private final String node;
  private final EchoStats tcp;
  private final EchoStats selector;

  EchoStatusVerticle(String node, EchoStats tcp, EchoStats selector) {
    this.node = node;
    this.tcp = tcp;
    this.selector = selector;
  }

  @Override
  public Future<?> start() {
    JsonArray endpoints = new JsonArray()
      .add(ServiceStatus.endpoint("tcp", tcp.url()))
      .add(ServiceStatus.endpoint("selector", selector.url()));
    return Future.all(
      ServiceStatus.serve(vertx, EchoModule.NAME, node, endpoints, this::stats),
      Bus.serve(vertx, STATS, message -> Future.succeededFuture(stats())));
  }

  /** {@code {tcp: {...}, selector: {...}}}, each as {@link EchoStats#json()}. */
  private JsonObject stats() {
    return new JsonObject().put("tcp", tcp.json()).put("selector", selector.json());
  }
}
