package org.concurrencylab.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.ServiceStatus;

/**
 * The responder every node of the {@code cluster} service runs: {@code cluster.ping} and
 * {@code cluster.ping.<node>} answer with the request's body and the node's name, {@code cluster.sink} counts
 * what it is sent. It is the far end of {@code bench cluster} and {@code GET /cluster/ping}, so its consumers
 * are plain {@code message.reply} handlers: what they measure is the bus, not a wrapper around it.
 *
 * <p>One instance, on one event loop: the counters need no synchronization, and the bus's inbound connection
 * hands each message to a single thread.
 */
final class PingResponder extends VerticleBase {

  private final String node;
  private long pings;
  private long received;

  PingResponder(String node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    return Future.all(
      vertx.eventBus().consumer(ClusterAddresses.PING, this::ping).completion(),
      vertx.eventBus().consumer(ClusterAddresses.ping(node), this::ping).completion(),
      vertx.eventBus().consumer(ClusterAddresses.SINK, this::sink).completion(),
      ServiceStatus.serve(vertx, ClusterModule.NAME, node, endpoints(), this::stats));
  }

  /** A JSON object comes back with {@code node} added; any other body (a Buffer, a string) as it came. */
  private void ping(Message<Object> message) {
    pings++;
    Object body = message.body();
    // A remote body was decoded for this handler and a local one copied by the JSON codec: ours to change.
    message.reply(body instanceof JsonObject json ? json.put("node", node) : body);
  }

  private void sink(Message<Object> message) {
    received++;
    if (message.replyAddress() != null) {
      message.reply(new JsonObject().put("node", node).put("received", received));
    }
  }

  private JsonArray endpoints() {
    return new JsonArray()
      .add(ServiceStatus.endpoint("bus", ClusterAddresses.PING))
      .add(ServiceStatus.endpoint("bus", ClusterAddresses.ping(node)))
      .add(ServiceStatus.endpoint("bus", ClusterAddresses.SINK));
  }

  private JsonObject stats() {
    return new JsonObject().put("pings", pings).put("sink_received", received);
  }
}
