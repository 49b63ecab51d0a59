package org.concurrencylab.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Hazelcast cluster a node joins with {@code -cluster}. The configuration comes from, in order: the file
 * named by {@code cluster_config} ({@code LAB_CLUSTER_CONFIG}), {@code ./conf/cluster.xml} when the lab runs
 * from its source tree, or the copy of {@code conf/cluster.xml} in the jar (TCP-IP join on 127.0.0.1).
 */
final class ClusterSetup {

  private static final String BUNDLED = "conf/cluster.xml";

  private ClusterSetup() {
  }

  static ClusterManager clusterManager(JsonObject config) {
    return new HazelcastClusterManager(hazelcastConfig(config.getString("cluster_config", "")));
  }

  static Config hazelcastConfig(String configured) {
    try {
      if (!configured.isBlank()) {
        Path path = Path.of(configured);
        if (!Files.isRegularFile(path)) {
          throw new ConfigException(LabConfig.environmentVariable("cluster_config") + "=" + configured
            + ": no such file");
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
      try (InputStream in = ClusterSetup.class.getClassLoader().getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException(BUNDLED + " is missing from the classpath");
        }
        return new XmlConfigBuilder(in).build();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
