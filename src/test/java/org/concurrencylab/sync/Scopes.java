package org.concurrencylab.sync;

import io.vertx.core.Vertx;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.params.provider.Arguments;

import java.util.stream.Stream;

/**
 * The two scopes every primitive test runs in: two handles on one Vert.x instance (local), and one handle
 * on each node of the shared two-node test cluster (cluster-wide).
 */
final class Scopes {

  /** Two views of the same primitives: {@code a} and {@code b} share names (the same instance or two nodes). */
  record Pair(String scope, Vertx vertxA, Primitives a, Vertx vertxB, Primitives b) {
    @Override
    public String toString() {
      return scope;
    }
  }

  private static Pair local;
  private static Pair cluster;

  private Scopes() {
  }

  static synchronized Pair local() {
    if (local == null) {
      Vertx vertx = Vertx.vertx();
      local = new Pair("local", vertx, Primitives.local(vertx), vertx, Primitives.local(vertx));
      Runtime.getRuntime().addShutdownHook(new Thread(vertx::close));
    }
    return local;
  }

  static synchronized Pair cluster() {
    if (cluster == null) {
      Vertx a = TestCluster.node(0);
      Vertx b = TestCluster.node(1);
      cluster = new Pair("cluster", a, Await.result(Primitives.clustered(a)), b, Await.result(Primitives.clustered(b)));
    }
    return cluster;
  }

  static Stream<Arguments> both() {
    return Stream.of(Arguments.of(local()), Arguments.of(cluster()));
  }
}
