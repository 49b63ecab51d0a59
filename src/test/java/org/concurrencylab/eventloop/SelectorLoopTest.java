package org.concurrencylab.eventloop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The loop itself, without the echo: its thread, its task queue, its fault isolation, its shutdown. */
class SelectorLoopTest {

  private SelectorLoop loop;

  @BeforeEach
  void start() throws IOException {
    loop = SelectorLoop.open("test-loop");
    loop.start();
  }

  @AfterEach
  void stop() throws InterruptedException {
    loop.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void tasksRunOnTheLoopThreadInOrderAndAFailingOneDoesNotStopIt() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
    loop.execute(() -> ran.add("first"));
    loop.execute(() -> {
      throw new IllegalStateException("a failing task");
    });
    loop.execute(() -> ran.add("second"));
    loop.execute(() -> onLoop.complete(loop.inLoop()));

    assertThat(onLoop.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ran).containsExactly("first", "second");
    assertThat(loop.inLoop()).isFalse();
  }

  @Test
  void aHandlerThatThrowsLosesItsChannelAndTheLoopServesTheNext() throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      CompletableFuture<Throwable> closedWith = new CompletableFuture<>();
      loop.execute(() -> {
        try {
          loop.register(server, SelectionKey.OP_ACCEPT, new ChannelHandler() {
            @Override
            public void ready(SelectionKey key) throws IOException {
              SocketChannel client = server.accept();
              if (client != null) {
                client.close();
                throw new IllegalStateException("the first client breaks this handler");
              }
            }

            @Override
            public void closed(SelectionKey key, Throwable cause) {
              closedWith.complete(cause);
            }
          });
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      SocketChannel.open(server.getLocalAddress()).close();
      assertThat(closedWith.get(5, TimeUnit.SECONDS)).hasMessage("the first client breaks this handler");
      assertThat(server.isOpen()).as("the loop closed the failing handler's channel").isFalse();

      // The loop goes on: a new channel registered after the failure is served.
      try (ServerSocketChannel next = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
        CompletableFuture<Void> served = new CompletableFuture<>();
        loop.execute(() -> {
          try {
            loop.register(next, SelectionKey.OP_ACCEPT, key -> {
              SocketChannel client = next.accept();
              if (client != null) {
                client.write(ByteBuffer.wrap(new byte[] {42}));
                client.close();
                served.complete(null);
              }
            });
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
        try (SocketChannel client = SocketChannel.open(next.getLocalAddress())) {
          served.get(5, TimeUnit.SECONDS);
          ByteBuffer in = ByteBuffer.allocate(1);
          client.read(in);
          assertThat(in.get(0)).isEqualTo((byte) 42);
        }
      }
    }
  }

  @Test
  void shutdownClosesEveryChannelEndsTheThreadAndRefusesNewTasks() throws Exception {
    ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    CompletableFuture<Throwable> closed = new CompletableFuture<>();
    CompletableFuture<Void> registered = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        loop.register(server, SelectionKey.OP_ACCEPT, new ChannelHandler() {
          @Override
          public void ready(SelectionKey key) {
          }

          @Override
          public void closed(SelectionKey key, Throwable cause) {
            closed.complete(cause);
          }
        });
        registered.complete(null);
      } catch (IOException e) {
        registered.completeExceptionally(e);
      }
    });
    registered.get(5, TimeUnit.SECONDS);

    assertThat(loop.shutdown(Duration.ofSeconds(5))).isTrue();

    assertThat(closed).isCompletedWithValue(null);
    assertThat(server.isOpen()).isFalse();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-loop"));
    assertThatThrownBy(() -> loop.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void registeringFromAnotherThreadIsRefused() throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      assertThatThrownBy(() -> loop.register(server, SelectionKey.OP_ACCEPT, key -> { }))
        .isInstanceOf(IllegalStateException.class);
    }
  }
}
