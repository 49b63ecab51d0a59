package org.concurrencylab.testsupport;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.impl.EventBusInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real two-node Hazelcast cluster in the test JVM, shared by every test class that needs one (forming a
 * cluster takes seconds). Each run gets its own cluster name and explicit ports, so test runs on the same
 * machine never join each other. Tests deploy what they need on {@link #node(int)} and undeploy it after.
 */
public final class TestCluster {

  public static final int SIZE = 2;
  private static List<Vertx> nodes;

  private TestCluster() {
  }

  /** Node {@code index} (0 or 1) of the shared cluster, formed on first use. */
  public static synchronized Vertx node(int index) {
    if (nodes == null) {
      nodes = form(SIZE);
      List<Vertx> formed = nodes;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> formed.forEach(Vertx::close)));
    }
    return nodes.get(index);
  }

  /**
   * Forms a new cluster of {@code size} clustered Vert.x instances (for tests that kill a node: they must
   * not use the shared one). The caller closes them.
   */
  public static List<Vertx> form(int size) {
    String name = "lab-test-" + UUID.randomUUID();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(Ports.free());
    }
    List<io.vertx.core.Future<Vertx>> starting = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      starting.add(Vertx.builder()
        .withClusterManager(new HazelcastClusterManager(hazelcast(name, ports.get(i), ports)))
        .buildClustered());
    }
    List<Vertx> formed = new ArrayList<>();
    for (io.vertx.core.Future<Vertx> node : starting) {
      try {
        formed.add(node.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
      } catch (Exception e) {
        formed.forEach(Vertx::close);
        throw new IllegalStateException("the test cluster did not form", e);
      }
    }
    // A member that has just joined takes over partitions; until that migration ends, a cluster-wide map or lock
    // operation can wait for seconds on a loaded machine. Tests start once the cluster is safe.
    Await.until(() -> formed.stream().allMatch(node -> member(node).getCluster().getMembers().size() == size
        && member(node).getPartitionService().isClusterSafe()),
      Duration.ofSeconds(60), "the test cluster's partitions settled");
    return formed;
  }

  private static HazelcastInstance member(Vertx node) {
    return ((HazelcastClusterManager) ((VertxInternal) node).clusterManager()).getHazelcastInstance();
  }

  /**
   * Kills a node of a cluster from {@link #form(int)} as a crash would, seen from the other nodes: its cluster
   * member vanishes without a word and its event-bus connections drop (its failure to unregister its consumers
   * from the terminated member is ignored, as a crashed node's would be). The caller still closes it.
   */
  public static void crash(Vertx node) {
    member(node).getLifecycleService().terminate();
    Promise<Void> closed = Promise.promise();
    ((EventBusInternal) node.eventBus()).close(closed);
    Await.result(closed.future().otherwiseEmpty());
  }

  /** A Hazelcast config like conf/cluster.xml, with its own name and exactly the given members. */
  public static Config hazelcast(String clusterName, int port, List<Integer> memberPorts) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.partition.count", "31");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
    config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    memberPorts.forEach(p -> join.getTcpIpConfig().addMember("127.0.0.1:" + p));
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
      .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.getMapConfig("__vertx.haInfo").setBackupCount(1);
    config.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
    config.getCPSubsystemConfig().setCPMemberCount(0);
    return config;
  }
}
