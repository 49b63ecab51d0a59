package org.concurrencylab.process;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A child running on node A, started, fed, followed and ended from node B over the clustered bus. */
class ProcessClusterTest {

  @TempDir
  static Path dataDir;
  private static String deployment;

  @BeforeAll
  static void deploy() {
    deployment = Await.result(TestCluster.node(0).deployVerticle(new ProcessVerticle("node-a"),
      new DeploymentOptions().setConfig(new JsonObject().put("data_dir", dataDir.toString())
        .put("process_allow", "cat").put("process_max", 2).put("process_output_max", 1 << 20))));
  }

  @AfterAll
  static void undeploy() {
    Await.result(TestCluster.node(0).undeploy(deployment));
  }

  @Test
  void anotherNodeStartsFeedsFollowsAndEndsAChild() {
    Vertx nodeB = TestCluster.node(1);
    JsonObject started = Await.result(Bus.request(nodeB, ProcessAddresses.RUN,
      new JsonObject().put("command", "cat").put("keepStdinOpen", true)));
    assertThat(started.getString("node")).isEqualTo("node-a");
    String id = started.getString("id");

    List<JsonObject> events = new CopyOnWriteArrayList<>();
    Promise<OutputFollower> following = Promise.promise();
    nodeB.runOnContext(v -> OutputFollower.follow(nodeB, id, events::add).onComplete(following));
    OutputFollower follower = Await.result(following.future());

    // The per-process address answers from node A as soon as node B has the id.
    JsonObject written = Await.result(Bus.request(nodeB, ProcessAddresses.stdin(id),
      new JsonObject().put("data", "across the cluster\n")));
    assertThat(written.getInteger("written")).isEqualTo(19);
    Await.until(() -> events.stream().anyMatch(e -> e.getJsonArray("lines", new io.vertx.core.json.JsonArray())
      .contains("across the cluster")), Duration.ofSeconds(20), "the line, seen on node B");

    JsonObject ended = Await.result(Bus.<JsonObject>request(nodeB, ProcessAddresses.kill(id), new JsonObject()));
    assertThat(ended.getString("endedBy")).isEqualTo("kill request");
    assertThat(ended.getString("stdout")).isEqualTo("across the cluster\n");
    Await.until(() -> events.stream().anyMatch(e -> "exit".equals(e.getString("type"))), Duration.ofSeconds(20),
      "the exit event on node B");
    follower.close();
  }

  @Test
  void aChildKilledWhileItWaitsForASlotNeverRuns() {
    Vertx nodeB = TestCluster.node(1);
    JsonObject request = new JsonObject().put("command", "cat").put("keepStdinOpen", true);
    List<String> running = List.of(
      Await.result(Bus.<JsonObject>request(nodeB, ProcessAddresses.RUN, request)).getString("id"),
      Await.result(Bus.<JsonObject>request(nodeB, ProcessAddresses.RUN, request)).getString("id"));
    JsonObject queued = Await.result(Bus.request(nodeB, ProcessAddresses.RUN, request));
    assertThat(queued.getString("state")).isEqualTo("queued");

    JsonObject cancelled = Await.result(Bus.request(nodeB, ProcessAddresses.kill(queued.getString("id")), new JsonObject()));
    assertThat(cancelled.getString("endedBy")).isEqualTo("kill request");
    assertThat(cancelled.getValue("pid")).isNull();
    assertThat(cancelled.getValue("exitCode")).isNull();

    Await.result(Future.all(running.stream().map(id -> Bus.request(nodeB, ProcessAddresses.stdin(id),
      new JsonObject().put("data", "").put("eof", true))).toList()));
  }
}
