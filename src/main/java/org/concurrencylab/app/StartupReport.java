package org.concurrencylab.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.spi.ServiceModule;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The short table printed once a node runs: each of its services, its state and where it listens. */
final class StartupReport {

  private StartupReport() {
  }

  static Future<Void> print(Vertx vertx, JsonObject config, List<ServiceModule> modules) {
    // This node's own status of each service: in a cluster, <service>.status may be answered by another node.
    String node = config.getString("node_name");
    List<Future<JsonObject>> statuses = new ArrayList<>();
    for (ServiceModule module : modules) {
      statuses.add(Bus.<JsonObject>request(vertx, ServiceStatus.address(module.name(), node), new JsonObject(), 2_000)
        .otherwise(failure -> new JsonObject().put("service", module.name()).put("state", "no status")));
    }
    return Future.join(statuses).transform(ignored -> {
      StringBuilder out = new StringBuilder();
      out.append(String.format("Concurrency Lab: node %s (%s, transport %s)%n", config.getString("node_name"),
        vertx.isClustered() ? "clustered" : "standalone",
        vertx.isNativeTransportEnabled() ? config.getString("transport") : "nio"));
      out.append(String.format("  %-10s %-6s %s%n", "SERVICE", "STATE", "LISTENS ON"));
      for (int i = 0; i < modules.size(); i++) {
        JsonObject status = statuses.get(i).result();
        out.append(String.format("  %-10s %-6s %s%n", modules.get(i).name(), status.getString("state"),
          endpoints(status.getJsonArray("endpoints", new JsonArray()))));
      }
      out.append("Stop with Ctrl-C or SIGTERM.");
      System.out.println(out);
      System.out.flush();
      return Future.succeededFuture();
    });
  }

  private static String endpoints(JsonArray endpoints) {
    if (endpoints.isEmpty()) {
      return "(event bus only)";
    }
    return endpoints.stream()
      .map(JsonObject.class::cast)
      .map(e -> e.getString("name") + " " + e.getString("url"))
      .collect(Collectors.joining(", "));
  }
}
