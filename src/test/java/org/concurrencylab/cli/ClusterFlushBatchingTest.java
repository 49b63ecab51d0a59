package org.concurrencylab.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bursts of clustered messages with batched flushes on a two-node cluster of its own: every request of a burst
 * gets its own reply, one-way messages arrive all and in order, and the batching is on both nodes' connections.
 */
class ClusterFlushBatchingTest {

  private static final int BURST = 300;

  private static List<Vertx> nodes;
  private static Vertx sender;
  private static Vertx responder;
  private static final List<Integer> received = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void formCluster() {
    nodes = TestCluster.form(2);
    sender = nodes.get(0);
    responder = nodes.get(1);
    nodes.forEach(ClusterFlushBatching::enable);
    Await.result(Future.all(
      responder.eventBus().<JsonObject>consumer("batching.echo",
        message -> message.reply(message.body().copy().put("echoed", true))).completion(),
      responder.eventBus().<Integer>consumer("batching.sink", message -> received.add(message.body()))
        .completion()));
  }

  @AfterAll
  static void closeCluster() {
    nodes.forEach(node -> Await.result(node.close(), Duration.ofSeconds(30)));
  }

  @Test
  void everyRequestOfABurstGetsItsOwnReply() {
    List<Future<JsonObject>> replies = burstOfRequests();

    Await.result(Future.all(replies));
    for (int i = 0; i < BURST; i++) {
      assertThat(replies.get(i).result()).isEqualTo(new JsonObject().put("seq", i).put("echoed", true));
    }
    // Both nodes have written (requests one way, replies the other): both connections batch from the next check.
    Await.until(() -> batched(sender) == 1 && batched(responder) == 1, Duration.ofSeconds(10),
      "both nodes' outbound connections batch their flushes");
    List<Future<JsonObject>> batchedReplies = burstOfRequests();
    Await.result(Future.all(batchedReplies));
    for (int i = 0; i < BURST; i++) {
      assertThat(batchedReplies.get(i).result().getInteger("seq")).isEqualTo(i);
    }
  }

  @Test
  void oneWayMessagesOfABurstArriveAllAndInOrder() {
    Await.result(sender.eventBus().request("batching.echo", new JsonObject().put("seq", -1)));
    Await.until(() -> batched(sender) == 1, Duration.ofSeconds(10), "the sender's connection batches");
    received.clear();
    MessageProducer<Integer> sink = sender.eventBus().sender("batching.sink");
    Promise<Void> written = Promise.promise();
    // From an event loop: the writes the batching gathers (a write from any other thread is queued anyway).
    sender.getOrCreateContext().runOnContext(v -> {
      Future<Void> last = Future.succeededFuture();
      for (int i = 0; i < BURST; i++) {
        last = sink.write(i);
      }
      last.onComplete(written);
    });
    Await.result(written.future());
    Await.until(() -> received.size() == BURST, Duration.ofSeconds(10), "every one-way message arrived");
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      expected.add(i);
    }
    assertThat(received).isEqualTo(expected);
  }

  @Test
  void aVertxThatIsNotClusteredIsLeftAsItIs() {
    Vertx local = Vertx.vertx();
    try {
      ClusterFlushBatching.enable(local);
      assertThat(Await.result(local.eventBus().<String>consumer("local.echo", m -> m.reply(m.body()))
        .completion().compose(v -> local.eventBus().<String>request("local.echo", "hello")))
        .body()).isEqualTo("hello");
    } finally {
      Await.result(local.close());
    }
  }

  /** {@link #BURST} requests sent in one go from an event loop of the sender: one reply future each, in order. */
  private static List<Future<JsonObject>> burstOfRequests() {
    Promise<List<Future<JsonObject>>> sent = Promise.promise();
    sender.getOrCreateContext().runOnContext(v -> {
      List<Future<JsonObject>> replies = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        replies.add(sender.eventBus().<JsonObject>request("batching.echo", new JsonObject().put("seq", i))
          .map(message -> message.body()));
      }
      sent.complete(replies);
    });
    return Await.result(sent.future());
  }

  private static int batched(Vertx node) {
    try {
      return ClusterFlushBatching.batchedConnections(node);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
