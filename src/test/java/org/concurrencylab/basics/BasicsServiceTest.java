package org.concurrencylab.basics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.spi.ModuleContext;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code basics.*} on the bus, as any node or client would use it. */
class BasicsServiceTest {

  private static Vertx vertx;

  @BeforeAll
  static void deploy() {
    vertx = Vertx.vertx();
    Await.result(deployBasics(vertx, "test-node"));
  }

  @AfterAll
  static void close() {
    Await.result(vertx.close());
  }

  static Future<?> deployBasics(Vertx vertx, String node) {
    BasicsModule module = new BasicsModule();
    JsonObject config = new JsonObject().put("node_name", node).put("request_timeout_ms", 5000);
    return module.deploy(new ModuleContext(vertx, config, node, List.of(module), List.of(module.name())));
  }

  private static JsonObject request(String address, Object body) {
    return Await.result(Bus.request(vertx, address, body, 30_000));
  }

  private static ReplyException failure(String address, Object body) {
    Throwable failure = Await.failure(Bus.request(vertx, address, body, 30_000), Duration.ofSeconds(30));
    assertThat(failure).isInstanceOf(ReplyException.class);
    return (ReplyException) failure;
  }

  @Test
  void fibIsComputedTheBooksWayOnAWorkerThread() {
    JsonObject reply = request(BasicsModule.FIB, new JsonObject().put("n", 30));
    assertThat(reply.getLong("fib")).isEqualTo(514_229);
    assertThat(reply.getString("thread")).startsWith("vert.x-worker-thread");
  }

  @Test
  void twoFibsAtOnceRunOnTwoWorkerThreads() {
    Future<JsonObject> first = Bus.request(vertx, BasicsModule.FIB, new JsonObject().put("n", 34), 30_000);
    Future<JsonObject> second = Bus.request(vertx, BasicsModule.FIB, new JsonObject().put("n", 34), 30_000);
    Await.result(Future.all(first, second));
    Set<String> threads = new HashSet<>(List.of(first.result().getString("thread"), second.result().getString("thread")));
    assertThat(threads).hasSize(2);
  }

  @Test
  void fibRefusesWhatItCannotComputeWithA400() {
    assertThat(failure(BasicsModule.FIB, new JsonObject().put("n", 0)).failureCode()).isEqualTo(400);
    assertThat(failure(BasicsModule.FIB, new JsonObject().put("n", 46)).getMessage()).contains("'n' must be from 1 to 45");
    assertThat(failure(BasicsModule.FIB, new JsonObject().put("n", "40")).getMessage()).contains("must be an integer");
    assertThat(failure(BasicsModule.FIB, new JsonObject().put("n", 4.5)).failureCode()).isEqualTo(400);
    assertThat(failure(BasicsModule.FIB, new JsonObject()).getMessage()).contains("'n' is required");
    assertThat(failure(BasicsModule.FIB, "forty").getMessage()).contains("must be a JSON object");
  }

  @Test
  void countCountsToN() {
    JsonObject reply = request(BasicsModule.COUNT, new JsonObject().put("n", 5_000_000));
    assertThat(reply.getLong("counted")).isEqualTo(5_000_000);
  }

  @Test
  void aCountPastItsDeadlineIsStoppedAndAnsweredWithA504() {
    long stoppedBefore = status().getLong("counts_stopped");
    ReplyException failure = failure(BasicsModule.COUNT,
      new JsonObject().put("n", 1_000_000_000_000L).put("timeout_ms", 100));
    assertThat(failure.failureCode()).isEqualTo(504);
    assertThat(failure.getMessage()).startsWith("stopped counting to 1000000000000 after 100 ms, at ");
    // The 504 comes only once the loop has returned: nothing is left counting.
    JsonObject stats = status();
    assertThat(stats.getLong("counts_stopped")).isEqualTo(stoppedBefore + 1);
    assertThat(stats.getLong("running")).isZero();
  }

  @Test
  void countRefusesBadInputWithA400() {
    assertThat(failure(BasicsModule.COUNT, new JsonObject().put("n", -1)).failureCode()).isEqualTo(400);
    assertThat(failure(BasicsModule.COUNT, new JsonObject().put("n", 10).put("timeout_ms", 0)).failureCode()).isEqualTo(400);
    assertThat(failure(BasicsModule.COUNT, new JsonObject().put("n", 10).put("timeout_ms", 60_001)).failureCode()).isEqualTo(400);
  }

  @Test
  void delayAnswersAfterItsDelay() {
    JsonObject reply = request(BasicsModule.DELAY, new JsonObject().put("ms", 50));
    assertThat(reply.getLong("ms")).isEqualTo(50);
    assertThat(reply.getLong("slept_ms")).isGreaterThanOrEqualTo(50);
    assertThat(failure(BasicsModule.DELAY, new JsonObject().put("ms", -5)).failureCode()).isEqualTo(400);
    assertThat(failure(BasicsModule.DELAY, new JsonObject().put("ms", 60_001)).failureCode()).isEqualTo(400);
  }

  @Test
  void statusNamesTheServiceItsNodeAndItsWork() {
    request(BasicsModule.DELAY, new JsonObject().put("ms", 1));
    JsonObject reply = request("basics.status", new JsonObject());
    assertThat(reply.getString("service")).isEqualTo("basics");
    assertThat(reply.getString("node")).isEqualTo("test-node");
    assertThat(reply.getString("state")).isEqualTo("up");
    assertThat(reply.getJsonArray("endpoints")).isNotEmpty();
    assertThat(reply.getJsonObject("stats").getLong("delays_done")).isPositive();
  }

  @Test
  void anotherNodeOfTheClusterGetsItsFibComputedHere() {
    Vertx here = TestCluster.node(0);
    Vertx there = TestCluster.node(1);
    Set<String> before = new HashSet<>(here.deploymentIDs());
    try {
      Await.result(deployBasics(here, "node-0"));
      JsonObject reply = Await.result(Bus.<JsonObject>request(there, BasicsModule.FIB, new JsonObject().put("n", 25), 10_000));
      assertThat(reply.getLong("fib")).isEqualTo(46_368);
    } finally {
      here.deploymentIDs().stream().filter(id -> !before.contains(id)).forEach(id -> Await.result(here.undeploy(id)));
    }
  }

  private static JsonObject status() {
    return request("basics.status", new JsonObject()).getJsonObject("stats");
  }
}
