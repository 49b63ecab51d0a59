package org.concurrencylab.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.queue.work.WorkQueueBroker;
import org.concurrencylab.queue.work.WorkQueueClient;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Bus work queues across the two-node test cluster: the broker on node 0, producers and consumers anywhere. */
class WorkQueueTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static String deployment;

  @BeforeAll
  static void deployBroker() {
    deployment = Await.result(TestCluster.node(0).deployVerticle(new WorkQueueBroker()));
  }

  @AfterAll
  static void undeploy() {
    Await.result(TestCluster.node(0).undeploy(deployment));
  }

  private static String name() {
    return "q-" + UUID.randomUUID();
  }

  @Test
  void consumersOnTheOtherNodeTakeEveryItemOnceAndJoinCompletes() {
    String queue = name();
    Vertx producerNode = TestCluster.node(0);
    Vertx consumerNode = TestCluster.node(1);
    Await.result(new WorkQueueClient(producerNode, queue).create("fifo", 5));
    List<Object> taken = Collections.synchronizedList(new ArrayList<>());
    List<Future<Void>> consumers = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      consumers.add(consume(new WorkQueueClient(consumerNode, queue), taken, 25));
    }
    WorkQueueClient producer = new WorkQueueClient(producerNode, queue);
    Future<Void> produced = Future.succeededFuture();
    for (int i = 0; i < 50; i++) {
      int item = i;
      produced = produced.compose(v -> producer.put(item, 0, WAIT)); // waits whenever 5 are queued
    }
    Await.result(produced, Duration.ofSeconds(30));
    Await.result(producer.join(WAIT), Duration.ofSeconds(30));
    Await.result(Future.all(consumers));
    assertThat(taken).hasSize(50).doesNotHaveDuplicates();
  }

  private static Future<Void> consume(WorkQueueClient client, List<Object> taken, int count) {
    if (count == 0) {
      return Future.succeededFuture();
    }
    return client.take(WAIT).compose(item -> {
      taken.add(item);
      return client.done(1);
    }).compose(v -> consume(client, taken, count - 1));
  }

  @Test
  void aPriorityQueueOnTheBusServesLowerNumbersFirstAndTiesInOrder() {
    String queue = name();
    WorkQueueClient client = new WorkQueueClient(TestCluster.node(1), queue);
    Await.result(client.create("priority", 0));
    Await.result(client.put("normal-1", 2, WAIT));
    Await.result(client.put("power-1", 1, WAIT));
    Await.result(client.put("normal-2", 2, WAIT));
    Await.result(client.put("power-2", 1, WAIT));
    assertThat(Await.result(client.takeUpTo(10, WAIT)).getList())
      .containsExactly("power-1", "power-2", "normal-1", "normal-2");
  }

  @Test
  void waitsTimeOutWith504AndBadRequestsGet400Or409() {
    String queue = name();
    WorkQueueClient client = new WorkQueueClient(TestCluster.node(1), queue);
    Await.result(client.create("lifo", 1));
    Await.result(client.put("only", 0, WAIT));
    assertThat(((ReplyException) Await.failure(client.put("too many", 0, Duration.ofMillis(100)), WAIT)).failureCode())
      .isEqualTo(504);
    assertThat(Await.result(client.take(WAIT))).isEqualTo("only");
    assertThat(((ReplyException) Await.failure(client.take(Duration.ofMillis(100)), WAIT)).failureCode()).isEqualTo(504);
    assertThat(((ReplyException) Await.failure(client.create("fifo", 1), WAIT)).failureCode()).isEqualTo(409);
    assertThat(((ReplyException) Await.failure(client.done(5), WAIT)).failureCode()).isEqualTo(409);
    Vertx node = TestCluster.node(0);
    for (JsonObject bad : List.of(new JsonObject(), new JsonObject().put("queue", queue),
      new JsonObject().put("queue", queue).put("item", 1).put("priority", -1),
      new JsonObject().put("queue", queue).put("item", 1).put("timeout_ms", "soon"))) {
      assertThat(((ReplyException) Await.failure(Bus.request(node, WorkQueueBroker.PUT, bad), WAIT)).failureCode())
        .as(bad.encode()).isEqualTo(400);
    }
    assertThat(((ReplyException) Await.failure(Bus.request(node, WorkQueueBroker.CREATE,
      new JsonObject().put("queue", name()).put("kind", "stack")), WAIT)).failureCode()).isEqualTo(400);
  }
}
