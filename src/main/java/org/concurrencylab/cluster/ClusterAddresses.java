package org.concurrencylab.cluster;

/** The bus addresses of the {@code cluster} service (see docs/bus.md). */
final class ClusterAddresses {

  /** Request: any JSON object; reply: the same object with {@code node}, the node that answered. */
  static final String PING = "cluster.ping";
  /** One-way messages, counted; a request gets {@code {node, received}}, the count so far. */
  static final String SINK = "cluster.sink";

  private ClusterAddresses() {
  }

  /** {@code cluster.ping.<node>}: the ping of one given node. */
  static String ping(String node) {
    return PING + "." + node;
  }
}
