package org.concurrencylab.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Members;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lab.members} on a two-node cluster: each node knows the other and its services, and sees it leave. */
class MembersTest {

  private final String suffix = UUID.randomUUID().toString().substring(0, 6);
  private String first;
  private String second;

  @AfterEach
  void undeploy() {
    if (first != null) {
      Await.result(TestCluster.node(0).undeploy(first), Duration.ofSeconds(15));
    }
    if (second != null) {
      Await.result(TestCluster.node(1).undeploy(second), Duration.ofSeconds(15));
    }
  }

  @Test
  void eachNodeListsTheOtherWithItsServicesAndForgetsItWhenItStops() {
    first = deploy(0, new JsonObject().put("services", "echo").put("node_name", "a-" + suffix)
      .put("echo_port", Ports.free()).put("selector_echo_port", Ports.free()));
    second = deploy(1, new JsonObject().put("services", "bridge").put("node_name", "b-" + suffix)
      .put("bridge_port", Ports.free()));

    // A list request goes to any node's registry, and each one learns of a new node from its beats (the first
    // may go out before the other node's subscription has spread): ask until the answer lists both.
    AtomicReference<JsonObject> b = new AtomicReference<>();
    Await.until(() -> {
      List<JsonObject> members = Await.result(Members.list(TestCluster.node(0), 2_000));
      b.set(members.stream().filter(member -> member.getString("node").equals("b-" + suffix)).findFirst().orElse(null));
      return b.get() != null && members.stream().anyMatch(member -> member.getString("node").equals("a-" + suffix))
        && names(1).containsAll(List.of("a-" + suffix, "b-" + suffix));
    }, Duration.ofSeconds(10), "both nodes listed");
    assertThat(Members.services(b.get())).containsExactly("bridge");
    assertThat(b.get().getBoolean("clustered")).isTrue();

    Await.result(TestCluster.node(1).undeploy(second), Duration.ofSeconds(15));
    second = null;
    // A node that stops in order says so: gone at once, not after the heartbeat's time to live.
    // A list request that lands on the stopping node while its registry unregisters goes unanswered: ask again.
    Await.until(() -> {
      List<String> names = namesOrNullOnFailure(0);
      return names != null && !names.contains("b-" + suffix);
    }, Duration.ofMillis(Members.TTL_MS - 500), "b gone");
  }

  private List<String> namesOrNullOnFailure(int node) {
    try {
      return Await.result(Members.list(TestCluster.node(node), 1_000)).stream()
        .map(member -> member.getString("node")).toList();
    } catch (AssertionError unanswered) {
      return null;
    }
  }

  private List<String> names(int node) {
    return Await.result(Members.list(TestCluster.node(node), 2_000)).stream()
      .map(member -> member.getString("node")).toList();
  }

  private static String deploy(int node, JsonObject config) {
    return Await.result(TestCluster.node(node).deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config)),
      Duration.ofSeconds(60));
  }
}
