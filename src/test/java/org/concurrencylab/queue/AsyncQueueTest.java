package org.concurrencylab.queue;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue as its users see it: orders, waits that end with room or items, timeouts, taskDone / join. */
class AsyncQueueTest {

  private static final Duration LONG = Duration.ofSeconds(10);
  private static final Duration SHORT = Duration.ofMillis(100);
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static <T> List<T> drain(AsyncQueue<T> queue) {
    List<T> out = new ArrayList<>();
    for (T item = queue.poll(); item != null; item = queue.poll()) {
      out.add(item);
    }
    return out;
  }

  @Test
  void fifoLifoAndPriorityGiveTheirOrders() {
    AsyncQueue<Integer> fifo = AsyncQueue.fifo(vertx, 0);
    AsyncQueue<Integer> lifo = AsyncQueue.lifo(vertx, 0);
    List.of(1, 2, 3).forEach(i -> {
      fifo.offer(i);
      lifo.offer(i);
    });
    assertThat(drain(fifo)).containsExactly(1, 2, 3);
    assertThat(drain(lifo)).containsExactly(3, 2, 1);
  }

  record Job(int priority, String name) {
  }

  @Test
  void equalPrioritiesComeOutInInsertionOrder() {
    AsyncQueue<Job> queue = AsyncQueue.priority(vertx, 0, Comparator.comparingInt(Job::priority));
    for (String name : List.of("normal-1", "power-1", "normal-2", "power-2", "normal-3", "power-3")) {
      queue.offer(new Job(name.startsWith("power") ? 1 : 2, name));
    }
    assertThat(drain(queue).stream().map(Job::name))
      .containsExactly("power-1", "power-2", "power-3", "normal-1", "normal-2", "normal-3");

    AsyncQueue<Job> heap = AsyncQueue.byPriority(vertx, 0, Job::priority);
    java.util.Random random = new java.util.Random(1);
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Job job = new Job(random.nextInt(5), "job-" + i);
      jobs.add(job);
      heap.offer(job);
    }
    jobs.sort(Comparator.comparingInt(Job::priority)); // a stable sort: ties stay in insertion order
    assertThat(drain(heap)).containsExactlyElementsOf(jobs);
  }

  @Test
  void aFullQueueMakesPutWaitUntilATakeMakesRoom() {
    AsyncQueue<String> queue = AsyncQueue.fifo(vertx, 1);
    Await.result(queue.put("first", LONG));
    assertThat(queue.offer("refused")).isFalse();
    Future<Void> waiting = queue.put("second", LONG);
    assertThat(waiting.isComplete()).isFalse();

    assertThat(Await.result(queue.take(LONG))).isEqualTo("first");
    Await.result(waiting);
    assertThat(Await.result(queue.take(LONG))).isEqualTo("second");
  }

  @Test
  void aWaitStillTimesOutAfterTheVerticleThatWaitedFirstIsUndeployed() {
    AsyncQueue<String> shared = AsyncQueue.fifo(vertx, 0);
    List<Future<String>> first = new ArrayList<>();
    String deployment = Await.result(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        first.add(shared.take(Duration.ofMillis(300))); // the earliest deadline: the queue's timer is set here
        return Future.succeededFuture();
      }
    }));
    Future<String> second = shared.take(Duration.ofMillis(600));
    Await.result(vertx.undeploy(deployment)); // cancels the timers that verticle set

    assertThat(((ReplyException) Await.failure(second, LONG)).failureCode()).isEqualTo(504);
    assertThat(((ReplyException) Await.failure(first.get(0), LONG)).failureCode()).isEqualTo(504);
  }

  @Test
  void aPutThatTimesOutFailsWith504AndAddsNothing() {
    AsyncQueue<String> queue = AsyncQueue.fifo(vertx, 1);
    queue.offer("first");
    Throwable failure = Await.failure(queue.put("late", SHORT), LONG);
    assertThat(((ReplyException) failure).failureCode()).isEqualTo(504);
    assertThat(drain(queue)).containsExactly("first");
    assertThat(queue.unfinished()).isEqualTo(1);
  }

  @Test
  void takeWaitsForAnItemAndTimesOutWhenNoneComes() {
    AsyncQueue<String> queue = AsyncQueue.lifo(vertx, 0);
    assertThat(((ReplyException) Await.failure(queue.take(SHORT), LONG)).failureCode()).isEqualTo(504);
    Future<String> first = queue.take(LONG);
    Future<String> second = queue.take(LONG);
    queue.offer("a");
    queue.offer("b");
    assertThat(Await.result(first)).isEqualTo("a"); // waiting consumers are served in arrival order
    assertThat(Await.result(second)).isEqualTo("b");
    assertThat(queue.size()).isZero();
  }

  @Test
  void joinWaitsUntilEveryItemIsDone() {
    AsyncQueue<Integer> queue = AsyncQueue.fifo(vertx, 0);
    assertThat(queue.join(SHORT).succeeded()).isTrue();
    queue.offer(1);
    queue.offer(2);
    Future<Void> joined = queue.join(LONG);
    queue.poll();
    queue.taskDone();
    assertThat(((ReplyException) Await.failure(queue.join(SHORT), LONG)).failureCode()).isEqualTo(504);
    assertThat(joined.isComplete()).isFalse();
    queue.poll();
    queue.taskDone();
    Await.result(joined);
    assertThatThrownBy(queue::taskDone).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void fourProducersAndFourConsumersOnSeveralThreadsHandEveryItemOverOnce() {
    AsyncQueue<Integer> queue = AsyncQueue.fifo(vertx, 16);
    List<Integer> consumed = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger left = new AtomicInteger(4_000);
    List<Future<Void>> consumers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      consumers.add(vertx.executeBlocking(() -> {
        while (left.get() > 0) {
          Integer item = queue.take(LONG).toCompletionStage().toCompletableFuture().get();
          consumed.add(item);
          queue.taskDone();
          left.decrementAndGet();
          if (item < 0) {
            break;
          }
        }
        return null;
      }, false));
    }
    AtomicInteger put = new AtomicInteger();
    for (int p = 0; p < 4; p++) {
      int first = p * 1_000;
      vertx.runOnContext(v -> produce(queue, first, first + 1_000, put));
    }
    Await.until(() -> put.get() == 4_000, Duration.ofSeconds(30), "every item put");
    Await.result(queue.join(Duration.ofSeconds(30)), Duration.ofSeconds(40));
    assertThat(consumed).hasSize(4_000).doesNotHaveDuplicates();
    for (int c = 0; c < 4; c++) {
      queue.offer(-1); // releases the consumers still waiting
    }
    Await.result(Future.all(consumers));
  }

  private static void produce(AsyncQueue<Integer> queue, int next, int end, AtomicInteger put) {
    while (next < end && queue.offer(next)) {
      next++;
      put.incrementAndGet();
    }
    if (next < end) {
      int waiting = next;
      queue.put(waiting, LONG).onSuccess(v -> {
        put.incrementAndGet();
        produce(queue, waiting + 1, end, put);
      });
    }
  }
}
