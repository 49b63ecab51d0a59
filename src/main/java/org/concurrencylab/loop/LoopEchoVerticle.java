package org.concurrencylab.loop;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.eventloop.LoopFuture;
import org.concurrencylab.eventloop.SelectorLoop;
import org.concurrencylab.spi.StartupException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops the echo on our own event loop ({@code loop_echo_port}). The echo runs on the loop's own
 * thread, not on a Vert.x event loop; this verticle binds the port, starts the loop and its accept task, and on
 * stop cancels the task and stops the loop (which closes every socket), within a bound.
 */
final class LoopEchoVerticle extends VerticleBase {

  static final Duration STOP_BOUND = Duration.ofSeconds(3);
  static final int ACCEPT_BACKLOG = 1024;

  private SelectorLoop loop;
  private LoopEchoServer echo;
  private LoopFuture<Void> accepting;
  private String url;

  @Override
  public Future<?> start() throws Exception {
    String host = config().getString("host", "127.0.0.1");
    int port = config().getInteger("loop_echo_port", 8003);
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(new InetSocketAddress(host, port), ACCEPT_BACKLOG);
    } catch (IOException e) {
      channel.close();
      return Future.failedFuture(StartupException.cannotListen("loop_echo_port", host, port, e));
    }
    url = "tcp://" + host + ":" + ((InetSocketAddress) channel.getLocalAddress()).getPort();
    loop = SelectorLoop.open("custom-event-loop");
    echo = new LoopEchoServer(loop);
    loop.start();
    CompletableFuture<Void> started = new CompletableFuture<>();
    loop.execute(() -> {
      accepting = echo.serve(channel);
      started.complete(null);
    });
    return Future.fromCompletionStage(started);
  }

  String url() {
    return url;
  }

  JsonObject stats() {
    return new JsonObject().put("url", url).put("connections_total", echo.connections())
      .put("open_connections", echo.openConnections()).put("bytes_echoed", echo.bytesEchoed());
  }

  @Override
  public Future<?> stop() {
    SelectorLoop stopping = loop;
    loop = null;
    if (stopping == null) {
      return Future.succeededFuture();
    }
    // Cancelling the accept task and joining the loop's thread block: on a worker, never on the event loop.
    return vertx.executeBlocking(() -> {
      CompletableFuture<Void> cancelled = new CompletableFuture<>();
      stopping.execute(() -> {
        if (accepting != null) {
          accepting.cancel();
        }
        cancelled.complete(null);
      });
      cancelled.get(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      return stopping.shutdown(STOP_BOUND);
    }, false);
  }
}
