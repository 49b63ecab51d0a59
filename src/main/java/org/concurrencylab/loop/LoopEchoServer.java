package org.concurrencylab.loop;

import org.concurrencylab.eventloop.AsyncSockets;
import org.concurrencylab.eventloop.LoopFuture;
import org.concurrencylab.eventloop.LoopTask;
import org.concurrencylab.eventloop.SelectorLoop;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The echo served by our own event loop, written as the book's 14.13 writes it: one task accepts clients
 * ({@code listen_for_connections}) and starts one task per client ({@code read_from_client}) that reads and
 * writes back until the client's end of stream, with futures in place of {@code await}. Runs on the loop's thread.
 */
final class LoopEchoServer {

  /** Each client's buffer: it holds one read until its echo is written (as large as the Vert.x echo's reads). */
  static final int BUFFER_SIZE = 128 * 1024;

  private final SelectorLoop loop;
  private final AsyncSockets sockets;
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong open = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  LoopEchoServer(SelectorLoop loop) {
    this.loop = loop;
    this.sockets = new AsyncSockets(loop);
  }

  /** The accept task: runs until cancelled (or the listening socket closes). */
  LoopFuture<Void> serve(ServerSocketChannel server) {
    return loop.startTask(() -> LoopTask.repeat(loop::callSoon, () -> sockets.accept(server).map(client -> {
      noDelay(client);
      connections.incrementAndGet();
      open.incrementAndGet();
      loop.startTask(() -> echo(client)).onDone(done -> {
        open.decrementAndGet();
        sockets.close(client);
      });
      return true;
    })));
  }

  /** One client's task: read, write back, until the end of its stream. */
  private LoopFuture<Void> echo(SocketChannel client) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
    return LoopTask.repeat(loop::callSoon, () -> sockets.read(client, buffer.clear()).then(n -> {
      if (n < 0) {
        return LoopFuture.succeeded(loop::callSoon, false);
      }
      bytes.addAndGet(n);
      return sockets.writeAll(client, buffer.flip()).map(written -> true);
    }));
  }

  /**
   * Echo writes go out at once: with Nagle's algorithm, the tail of a large echo would wait for the client's
   * delayed acknowledgement (up to 40 ms a round trip). asyncio's transports set this too.
   */
  private static void noDelay(SocketChannel client) {
    try {
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
    } catch (IOException e) {
      // the client is already gone; its task will find out
    }
  }

  long connections() {
    return connections.get();
  }

  long openConnections() {
    return open.get();
  }

  long bytesEchoed() {
    return bytes.get();
  }
}
