package org.concurrencylab.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.ServiceStatus;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The number of WebSocket clients of {@code /counter} across the cluster (the book's 9.9 counts one process).
 * Each node counts its own sockets and publishes that count on {@link #NODES}; every node sums the latest
 * count of each node and, when the sum changes, tells its own sockets on {@link #TOTAL}. A node re-announces
 * its count every {@link #HEARTBEAT_MS}, so a node that starts later learns the others' counts, and the count
 * of a node that died without saying goodbye is dropped after {@link #EXPIRY_MS}.
 */
final class ConnectionCounter extends VerticleBase {

  /** Local: a socket of this node opened ({@code +1}) or closed ({@code -1}); body {@code {delta}}. */
  static final String CHANGED = "web.counter.changed";
  /** Local publish: the cluster-wide count, {@code {count}}, for this node's sockets. */
  static final String TOTAL = "web.counter.total";
  /** Cluster publish: {@code {node, count}}, one node's sockets. */
  static final String NODES = "web.counter.nodes";

  static final long HEARTBEAT_MS = 2_000;
  static final long EXPIRY_MS = 3 * HEARTBEAT_MS + 500;

  private record NodeCount(int count, long seenAt) {
  }

  private final String node;
  private final String instance = UUID.randomUUID().toString();
  private final Map<String, NodeCount> counts = new HashMap<>();
  private int local;
  private int total = -1;

  ConnectionCounter(String node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    vertx.setPeriodic(HEARTBEAT_MS, id -> {
      announce();
      long now = System.currentTimeMillis();
      counts.values().removeIf(count -> now - count.seenAt() > EXPIRY_MS);
      recount();
    });
    return Future.all(
        vertx.eventBus().<JsonObject>localConsumer(CHANGED, message -> {
          local = Math.max(0, local + message.body().getInteger("delta"));
          announce();
        }).completion(),
        vertx.eventBus().<JsonObject>consumer(NODES, message -> {
          JsonObject body = message.body();
          String from = body.getString("instance");
          boolean known = counts.containsKey(from);
          counts.put(from, new NodeCount(body.getInteger("count"), System.currentTimeMillis()));
          if (!known && !from.equals(instance)) {
            announce(); // a newcomer: let it hear our count now rather than at the next heartbeat
          }
          recount();
        }).completion(),
        ServiceStatus.serve(vertx, WebModule.NAME, node, new JsonArray(), () -> new JsonObject()
          .put("counter_clients_here", local).put("counter_clients_cluster", Math.max(total, 0))
          .put("counter_nodes", counts.size())))
      .onSuccess(v -> announce());
  }

  private void announce() {
    vertx.eventBus().publish(NODES, new JsonObject().put("instance", instance).put("node", node).put("count", local));
  }

  private void recount() {
    int sum = counts.values().stream().mapToInt(NodeCount::count).sum();
    if (sum != total) {
      total = sum;
      vertx.eventBus().publish(TOTAL, new JsonObject().put("count", sum), new DeliveryOptions().setLocalOnly(true));
    }
  }

  @Override
  public Future<?> stop() {
    // Say goodbye so the other nodes drop our sockets at once instead of after the expiry.
    local = 0;
    announce();
    return Future.succeededFuture();
  }
}
