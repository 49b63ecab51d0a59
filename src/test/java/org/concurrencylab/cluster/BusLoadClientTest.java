package org.concurrencylab.cluster;

import io.vertx.core.Vertx;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench cluster}'s load across the shared two-node cluster: the responder on node 1, the load on node 0,
 * so every message crosses between the nodes. What the load reports is what the responder saw.
 */
class BusLoadClientTest {

  private static Vertx loadNode;
  private static Vertx responderNode;
  private static String responder;

  @BeforeAll
  static void deployResponder() {
    loadNode = TestCluster.node(0);
    responderNode = TestCluster.node(1);
    responder = Await.result(responderNode.deployVerticle(new PingResponder("far-node")));
  }

  @AfterAll
  static void undeployResponder() {
    Await.result(responderNode.undeploy(responder), Duration.ofSeconds(10));
  }

  @Test
  void requestsCrossToTheOtherNodeAndEveryRoundTripIsTimed() {
    BusLoadClient.Result result = Await.result(new BusLoadClient(loadNode, BusLoadClient.Mode.REQUEST,
      ClusterAddresses.ping("far-node"), 8, 16, Duration.ofMillis(200), Duration.ofMillis(500)).run());

    assertThat(result.responder()).isEqualTo("far-node");
    assertThat(result.errors()).isZero();
    assertThat(result.messages()).isPositive();
    assertThat(result.latencies().count()).isEqualTo(result.messages());
    assertThat(result.json().getString("mode")).isEqualTo("request");
    assertThat(result.json().getDouble("p99_ms")).isGreaterThanOrEqualTo(result.json().getDouble("p50_ms"));
  }

  @Test
  void bufferBodiesComeBackAsTheyWentAndEveryRoundTripIsCounted() {
    BusLoadClient.Result result = Await.result(new BusLoadClient(loadNode, BusLoadClient.Mode.REQUEST,
      BusLoadClient.Body.BUFFER, ClusterAddresses.ping("far-node"), 8, 16, Duration.ofMillis(200),
      Duration.ofMillis(500)).run());

    assertThat(result.responder()).isEqualTo("far-node");
    assertThat(result.errors()).isZero();
    assertThat(result.messages()).isPositive();
    assertThat(result.latencies().count()).isEqualTo(result.messages());
    assertThat(result.json().getString("body")).isEqualTo("buffer");
  }

  @Test
  void oneWayBufferMessagesAreCountedByTheResponderNoneLost() {
    BusLoadClient.Result result = Await.result(new BusLoadClient(loadNode, BusLoadClient.Mode.SEND,
      BusLoadClient.Body.BUFFER, ClusterAddresses.SINK, 64, 16, Duration.ofMillis(200), Duration.ofMillis(500)).run());

    assertThat(result.errors()).isZero();
    assertThat(result.messages()).isPositive();
  }

  @Test
  void oneWayMessagesAreCountedByTheResponderNoneLost() {
    BusLoadClient.Result result = Await.result(new BusLoadClient(loadNode, BusLoadClient.Mode.SEND,
      ClusterAddresses.SINK, 64, 16, Duration.ofMillis(200), Duration.ofMillis(500)).run());

    assertThat(result.responder()).isEqualTo("far-node");
    assertThat(result.errors()).isZero();
    assertThat(result.messages()).isPositive();
  }

  @Test
  void anAddressNobodyServesFailsTheRun() {
    Throwable failure = Await.failure(new BusLoadClient(loadNode, BusLoadClient.Mode.REQUEST,
      ClusterAddresses.ping("nobody"), 1, 0, Duration.ZERO, Duration.ofMillis(100)).run(), Duration.ofSeconds(20));

    assertThat(failure).hasMessageContaining("cluster.ping.nobody");
  }
}
