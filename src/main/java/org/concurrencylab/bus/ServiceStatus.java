package org.concurrencylab.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The status convention: every service answers {@code <service>.status} with
 * {@code {service, node, state, endpoints: [{name, url}], stats: {...}}}. {@code /health} and the start-up
 * table read it over the bus, so a service is reported the same way whichever node it runs on.
 *
 * <p>A service that runs on several nodes answers {@code <service>.status} from any one of them (the bus picks);
 * {@code <service>.status.<node>} reaches the one on a given node, which is how the dashboard and
 * {@code /metrics} show each node's own numbers.
 */
public final class ServiceStatus {

  public static final String UP = "up";
  public static final String DOWN = "down";
  /** No node answered for the service: it is deployed nowhere in the cluster right now. */
  public static final String ABSENT = "absent";

  private ServiceStatus() {
  }

  /** The status address of a service. */
  public static String address(String service) {
    return service + ".status";
  }

  /** The status address of a service on one node: {@code <service>.status.<node>}. */
  public static String address(String service, String node) {
    return address(service) + "." + node;
  }

  /**
   * Answers {@code <service>.status} and {@code <service>.status.<node>} from this node. {@code stats} is
   * called for each request and may return live numbers (open connections, bytes echoed...).
   */
  public static Future<Void> serve(Vertx vertx, String service, String node, JsonArray endpoints,
                                   Supplier<JsonObject> stats) {
    Function<Message<Object>, Future<?>> status =
      message -> Future.succeededFuture(new JsonObject()
        .put("service", service)
        .put("node", node)
        .put("state", UP)
        .put("endpoints", endpoints)
        .put("stats", stats.get()));
    return Future.all(Bus.serve(vertx, address(service), status), Bus.serve(vertx, address(service, node), status))
      .mapEmpty();
  }

  /** One endpoint entry, e.g. {@code endpoint("tcp", "tcp://127.0.0.1:8000")}. */
  public static JsonObject endpoint(String name, String url) {
    return new JsonObject().put("name", name).put("url", url);
  }
}
