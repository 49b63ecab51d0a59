package org.concurrencylab.eventloop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The custom event loop's contract: callback order, timers, futures, tasks and their cancellation, sockets. */
class EventLoopTest {

  private SelectorLoop loop;

  @BeforeEach
  void start() throws IOException {
    loop = SelectorLoop.open("event-loop-test");
    loop.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    loop.shutdown(Duration.ofSeconds(5));
  }

  /** Runs {@code action} on the loop and waits for the value it returns. */
  private <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        result.complete(action.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  /** Waits for a loop future, from the test's thread. */
  private <T> LoopFuture<T> settled(LoopFuture<T> future) throws Exception {
    CompletableFuture<LoopFuture<T>> done = new CompletableFuture<>();
    loop.execute(() -> future.onDone(done::complete));
    return done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void callbacksRunInOrderAndOnesQueuedMeanwhileWaitForTheNextTurn() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> last = new CompletableFuture<>();
    loop.execute(() -> {
      loop.callSoon(() -> {
        ran.add("a");
        loop.callSoon(() -> {
          ran.add("c, queued by a");
          last.complete(null);
        });
      });
      loop.callSoon(() -> ran.add("b"));
      loop.callSoon(() -> ran.add("d, queued before a ran"));
    });
    last.get(10, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("a", "b", "d, queued before a ran", "c, queued by a");
  }

  @Test
  void aCallbackThatKeepsReschedulingItselfDoesNotStarveATimer() throws Exception {
    long[] spins = {0};
    long[] spinsWhenTimerFired = {-1};
    CompletableFuture<Long> fired = new CompletableFuture<>();
    loop.execute(() -> {
      long start = System.nanoTime();
      loop.callLater(Duration.ofMillis(20), () -> {
        spinsWhenTimerFired[0] = spins[0];
        fired.complete(System.nanoTime() - start);
      });
      Runnable[] spin = new Runnable[1];
      spin[0] = () -> {
        spins[0]++;
        if (!fired.isDone()) {
          loop.callSoon(spin[0]); // asyncio.sleep(0) in a loop: yields every turn
        }
      };
      loop.callSoon(spin[0]);
    });
    assertThat(TimeUnit.NANOSECONDS.toMillis(fired.get(10, TimeUnit.SECONDS))).isGreaterThanOrEqualTo(20);
    assertThat(spinsWhenTimerFired[0]).isPositive();
  }

  @Test
  void timersFireInDeadlineOrderNeverEarlyAndCancelledOnesNever() throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> last = new CompletableFuture<>();
    long[] elapsed = new long[1];
    loop.execute(() -> {
      long start = System.nanoTime();
      loop.callLater(Duration.ofMillis(30), () -> fired.add("30 ms"));
      loop.callLater(Duration.ofMillis(10), () -> fired.add("10 ms, first set"));
      loop.callLater(Duration.ofMillis(10), () -> fired.add("10 ms, second set"));
      TimerHandle cancelled = loop.callLater(Duration.ofMillis(20), () -> fired.add("cancelled"));
      loop.callLater(Duration.ofMillis(50), () -> {
        elapsed[0] = System.nanoTime() - start;
        last.complete(null);
      });
      cancelled.cancel();
    });
    last.get(10, TimeUnit.SECONDS);
    assertThat(fired).containsExactly("10 ms, first set", "10 ms, second set", "30 ms");
    assertThat(TimeUnit.NANOSECONDS.toMillis(elapsed[0])).isGreaterThanOrEqualTo(50);
  }

  @Test
  void futureCallbacksRunInALaterTurnAndChainsPassValuesAndFailures() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    LoopFuture<Integer> doubled = onLoop(() -> {
      LoopFuture<Integer> source = loop.newFuture();
      LoopFuture<Integer> chain = source.map(n -> n * 2);
      source.onDone(done -> seen.add("callback"));
      source.complete(21);
      seen.add("after complete"); // callbacks never run inside complete()
      return chain;
    });
    assertThat(settled(doubled).result()).isEqualTo(42);
    assertThat(seen).containsExactly("after complete", "callback");

    LoopFuture<Integer> failedChain = onLoop(() -> {
      LoopFuture<Integer> source = loop.newFuture();
      LoopFuture<Integer> chain = source.then(n -> loop.sleep(Duration.ofMillis(1)).map(v -> n)).map(n -> n + 1);
      source.fail(new IllegalStateException("boom"));
      return chain;
    });
    assertThat(settled(failedChain).failure()).hasMessage("boom");
  }

  @Test
  void aTaskCancelledBeforeItStartsNeverRunsItsBody() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    LoopFuture<String> task = onLoop(() -> {
      LoopFuture<String> started = loop.startTask(() -> {
        ran.add("body");
        return LoopFuture.succeeded(loop::callSoon, "done");
      });
      started.cancel();
      return started;
    });
    assertThat(settled(task).isCancelled()).isTrue();
    onLoop(() -> null);
    assertThat(ran).isEmpty();
  }

  @Test
  void cancellingARunningTaskStopsItAtTheStepItWaitsOn() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    LoopFuture<String> task = onLoop(() -> loop.startTask(() -> {
      ran.add("started");
      return loop.sleep(Duration.ofSeconds(30)).map(v -> {
        ran.add("woke up");
        return "done";
      });
    }));
    onLoop(() -> null); // the task has started and sleeps
    long cancelledAt = System.nanoTime();
    onLoop(task::cancel);
    LoopFuture<String> ended = settled(task);
    assertThat(ended.isCancelled()).isTrue();
    assertThat(ended.failure()).isInstanceOf(CancellationException.class);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cancelledAt)).isLessThan(10);
    assertThat(ran).containsExactly("started");
  }

  @Test
  void repeatLoopsUntilItsStepSaysStopAndCanBeCancelledMidway() throws Exception {
    int[] count = {0};
    LoopFuture<Void> counted = onLoop(() -> LoopTask.repeat(loop::callSoon,
      () -> LoopFuture.succeeded(loop::callSoon, ++count[0] < 100_000)));
    assertThat(settled(counted).succeeded()).isTrue();
    assertThat(count[0]).isEqualTo(100_000); // a long loop, and no chain of futures grew with it

    LoopFuture<Void> endless = onLoop(() -> LoopTask.repeat(loop::callSoon,
      () -> loop.sleep(Duration.ofMillis(1)).map(v -> true)));
    onLoop(endless::cancel);
    assertThat(settled(endless).isCancelled()).isTrue();
  }

  @Test
  void socketsAreAwaitedAndACancelledReadLeavesTheDataForTheNextOne() throws Exception {
    AsyncSockets sockets = new AsyncSockets(loop);
    try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      server.configureBlocking(false);
      LoopFuture<SocketChannel> accepted = onLoop(() -> sockets.accept(server));
      try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
        SocketChannel served = settled(accepted).result();

        LoopFuture<Integer> firstRead = onLoop(() -> sockets.read(served, ByteBuffer.allocate(64)));
        onLoop(firstRead::cancel);
        assertThat(settled(firstRead).isCancelled()).isTrue();

        client.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
        ByteBuffer into = ByteBuffer.allocate(64);
        assertThat(settled(onLoop(() -> sockets.read(served, into))).result()).isEqualTo(4);
        assertThat(StandardCharsets.UTF_8.decode(into.flip()).toString()).isEqualTo("ping");

        ByteBuffer big = ByteBuffer.allocate(8 << 20); // more than the socket buffers hold: writeAll must wait
        LoopFuture<Void> written = onLoop(() -> sockets.writeAll(served, big));
        ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
        long received = 0;
        while (received < big.capacity()) {
          received += client.read(sink.clear());
        }
        assertThat(settled(written).succeeded()).isTrue();

        client.close();
        assertThat(settled(onLoop(() -> sockets.read(served, ByteBuffer.allocate(8)))).result()).isEqualTo(-1);
        onLoop(() -> {
          sockets.close(served);
          return null;
        });
        assertThat(settled(onLoop(() -> sockets.read(served, ByteBuffer.allocate(8)))).succeeded()).isFalse();
      }
    }
  }
}
