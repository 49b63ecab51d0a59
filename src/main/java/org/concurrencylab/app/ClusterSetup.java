package org.concurrencylab.app;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.concurrencylab.cli.ClusterJoin;

/**
 * The Hazelcast cluster a node joins with {@code -cluster}: the configuration {@link ClusterJoin} resolves
 * ({@code LAB_CLUSTER_CONFIG}, {@code ./conf/cluster.xml}, or the jar's copy), which commands that join the
 * cluster resolve the same way.
 */
final class ClusterSetup {

  private ClusterSetup() {
  }

  static ClusterManager clusterManager(JsonObject config) {
    try {
      return new HazelcastClusterManager(ClusterJoin.hazelcastConfig(config.getString("cluster_config", "")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }
}
