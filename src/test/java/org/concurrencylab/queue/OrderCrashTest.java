package org.concurrencylab.queue;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.LabProcess;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lab as a process with its embedded PostgreSQL: orders accepted before a {@code kill -9} are all
 * completed, each exactly once, after a restart on the same data directory; SIGTERM drains within its bound
 * and leaves the orders it could not finish to the next start.
 */
class OrderCrashTest {

  private static final Duration START = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private LabProcess start(int port, String workMsMax) {
    LabProcess lab = LabProcess.start(dir, Map.of(
      "LAB_SERVICES", "queue,http",
      "LAB_HTTP_PORT", String.valueOf(port),
      "LAB_HTTP_INSTANCES", "1",
      "LAB_DATA_DIR", dir.resolve("data").toString(),
      "LAB_ORDER_WORKERS", "5",
      "LAB_ORDER_QUEUE_MAX", "1000",
      "LAB_ORDER_WORK_MS_MAX", workMsMax,
      "LAB_ORDER_DRAIN_MS", "1000"));
    lab.awaitStdout("Stop with Ctrl-C or SIGTERM.", START);
    return lab;
  }

  private static List<Long> placeOrders(String base, int count) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Http.Response placed = Http.post(base + "/order", i % 3 == 0 ? "{\"power_user\": true}" : "{}");
      assertThat(placed.status()).as(placed.body()).isEqualTo(202);
      ids.add(placed.json().getLong("id"));
    }
    return ids;
  }

  /** The orders the workers of the lab at {@code base} have completed since it started (its queue status). */
  private static long completedHere(String base) {
    return Http.get(base + "/health").json().getJsonObject("services").getJsonObject("queue").getJsonObject("stats")
      .getJsonObject("orders").getLong("completed");
  }

  private static long countDone(String base, List<Long> ids) {
    return ids.stream().filter(id -> "done".equals(Http.get(base + "/order/" + id).json().getString("state"))).count();
  }

  @Test
  void everyAcceptedOrderIsCompletedExactlyOnceAcrossAKillAndASigterm() {
    int port = Ports.free();
    String base = "http://127.0.0.1:" + port;
    List<Long> ids = new ArrayList<>();

    // Up to 3 s of work an order (1.5 s on average): the 40 take the five workers 12 s, while placing them over HTTP
    // one by one took seconds on a loaded machine; at up to 600 ms every order was done before the kill came. The
    // kill comes as soon as the lab says a few are done (one GET, where counting the orders takes 40).
    try (LabProcess first = start(port, "3000")) {
      ids.addAll(placeOrders(base, 40));
      long[] doneBeforeKill = {0};
      Await.until(() -> (doneBeforeKill[0] = completedHere(base)) >= 5, Duration.ofSeconds(30), "a few orders done");
      first.close(); // kill -9: Process.destroyForcibly()
      first.awaitExit(Duration.ofSeconds(20));
      assertThat(doneBeforeKill[0]).as("the kill came while orders were left").isLessThan(40);
    }

    try (LabProcess second = start(port, "600")) {
      Await.until(() -> countDone(base, ids) == ids.size(), Duration.ofSeconds(60), "every order done after the restart");
      // More orders than the workers finish within the 1 s drain, then SIGTERM while they are worked on.
      List<Long> slow = placeOrders(base, 30);
      ids.addAll(slow);
      second.terminate();
      assertThat(second.awaitExit(Duration.ofSeconds(10))).isZero();
    }

    try (LabProcess third = start(port, "600")) {
      Await.until(() -> countDone(base, ids) == ids.size(), Duration.ofSeconds(60), "the orders left by SIGTERM done");
      for (long id : ids) {
        JsonObject order = Http.get(base + "/order/" + id).json();
        assertThat(order.getInteger("completions")).as("completions of order " + id).isEqualTo(1);
      }
      third.terminate();
      assertThat(third.awaitExit(Duration.ofSeconds(10))).isZero();
    }
  }
}
