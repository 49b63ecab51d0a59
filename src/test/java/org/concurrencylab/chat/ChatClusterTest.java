package org.concurrencylab.chat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One room across a cluster: users on two nodes chat together, names and the count are the cluster's. */
class ChatClusterTest {

  @Test
  void usersOnTwoNodesShareOneRoom() {
    try (ChatLab nodeA = ChatLab.start(TestCluster.node(0), new JsonObject().put("node_name", "node-a"));
         ChatLab nodeB = ChatLab.start(TestCluster.node(1), new JsonObject().put("node_name", "node-b"));
         LineClient alice = LineClient.connect(nodeA.port);
         LineClient bob = LineClient.connect(nodeB.port)) {
      alice.send("CONNECT alice");
      assertThat(alice.next()).isEqualTo("Welcome! 1 user(s) are online!");
      bob.send("CONNECT bob");
      assertThat(bob.next()).isEqualTo("Welcome! 2 user(s) are online!");
      assertThat(alice.next()).isEqualTo("bob connected!");

      bob.send("hi from B");
      assertThat(alice.next()).isEqualTo("bob: hi from B");
      assertThat(bob.next()).isEqualTo("bob: hi from B");
      alice.send("hi from A");
      assertThat(bob.next()).isEqualTo("alice: hi from A");
      assertThat(alice.next()).isEqualTo("alice: hi from A");

      try (LineClient impostor = LineClient.connect(nodeB.port)) {
        impostor.send("CONNECT alice");
        assertThat(impostor.untilClosed()).containsExactly("Username taken");
      }

      bob.close();
      assertThat(alice.next()).isEqualTo("bob has left the chat");
    }
  }

  private static boolean knowsUsersOf(JsonObject status, String node, String other, int users) {
    // chat.status is answered by any node of the cluster: only node A's answer counts here.
    return status.getString("node").equals(node)
      && status.getJsonObject("stats").getJsonObject("other_nodes").getInteger(other, 0) == users;
  }

  /**
   * A node dies (its cluster member is terminated without a word): the users of the other node see its users
   * leave, and their names are free again.
   */
  @Test
  void whenANodeDiesTheOthersSeeItsUsersLeave() {
    List<Vertx> cluster = TestCluster.form(2);
    Vertx survivor = cluster.get(0);
    Vertx dying = cluster.get(1);
    try (ChatLab nodeA = ChatLab.start(survivor, new JsonObject().put("node_name", "node-a"));
         LineClient alice = LineClient.join(nodeA.port, "alice")) {
      ChatLab nodeB = ChatLab.start(dying, new JsonObject().put("node_name", "node-b"));
      try (LineClient bob = LineClient.join(nodeB.port, "bob"); LineClient carol = LineClient.join(nodeB.port, "carol")) {
        alice.await("carol connected!");
        // Node A learns node B's users from B's heartbeats (within a second of a change).
        Await.until(() -> knowsUsersOf(nodeA.status(), "node-a", "node-b", 2),
          Duration.ofSeconds(10), "node A knows node B's two users");

        TestCluster.crash(dying);

        List<String> leaves = List.of(alice.await(line -> line.endsWith(" has left the chat")),
          alice.await(line -> line.endsWith(" has left the chat")));
        assertThat(leaves).containsExactlyInAnyOrder("bob has left the chat", "carol has left the chat");
      }
      try (LineClient bobAgain = LineClient.connect(nodeA.port)) {
        bobAgain.send("CONNECT bob");
        assertThat(bobAgain.next()).isEqualTo("Welcome! 2 user(s) are online!");
      }
    } finally {
      Await.result(dying.close(), Duration.ofSeconds(30));
      Await.result(survivor.close(), Duration.ofSeconds(30));
    }
  }
}
