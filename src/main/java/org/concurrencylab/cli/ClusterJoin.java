package org.concurrencylab.cli;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lab's Hazelcast cluster, as a lab node joins it and as a command joins it to reach the nodes' services
 * ({@code bench cluster}): the same configuration for both, so they always meet. It comes from, in order, the
 * file named by {@code cluster_config} ({@code LAB_CLUSTER_CONFIG}), {@code ./conf/cluster.xml} when run from
 * the source tree, or the jar's copy of {@code conf/cluster.xml} (TCP-IP join on 127.0.0.1).
 */
public final class ClusterJoin {

  private static final String BUNDLED = "conf/cluster.xml";

  private ClusterJoin() {
  }

  /**
   * The Hazelcast configuration: the file {@code configured} names, or the lab's default when it is blank.
   *
   * @throws IllegalArgumentException when {@code configured} names no readable file
   */
  public static Config hazelcastConfig(String configured) {
    try {
      if (configured != null && !configured.isBlank()) {
        Path path = Path.of(configured);
        if (!Files.isRegularFile(path)) {
          throw new IllegalArgumentException("LAB_CLUSTER_CONFIG=" + configured + ": no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
          return new XmlConfigBuilder(in).build();
        }
      }
      Path local = Path.of(BUNDLED);
      if (Files.isRegularFile(local)) {
        try (InputStream in = Files.newInputStream(local)) {
          return new XmlConfigBuilder(in).build();
        }
      }
      try (InputStream in = ClusterJoin.class.getClassLoader().getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException(BUNDLED + " is missing from the classpath");
        }
        return new XmlConfigBuilder(in).build();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Joins the cluster as a member with a Vert.x of its own. {@code clusterHost} is the address this member's
   * event bus binds and announces (null: the one Hazelcast binds). The caller closes the Vert.x.
   */
  public static Future<Vertx> join(String clusterConfig, String clusterHost, VertxOptions options) {
    VertxOptions clustered = new VertxOptions(options);
    if (clusterHost != null && !clusterHost.isBlank()) {
      clustered.getEventBusOptions().setHost(clusterHost);
    }
    return Vertx.builder().with(clustered)
      .withClusterManager(new HazelcastClusterManager(hazelcastConfig(clusterConfig)))
      .buildClustered()
      .andThen(joined -> {
        if (joined.succeeded()) {
          ClusterFlushBatching.enable(joined.result()); // as a lab node does
        }
      });
  }
}
