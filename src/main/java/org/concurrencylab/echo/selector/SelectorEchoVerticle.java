package org.concurrencylab.echo.selector;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.concurrencylab.echo.EchoStats;
import org.concurrencylab.eventloop.SelectorLoop;
import org.concurrencylab.spi.StartupException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;

/**
 * Starts and stops the hand-written selector echo on {@code selector_echo_port}. The echo runs on its
 * {@link SelectorLoop}'s own thread, not on a Vert.x event loop; this verticle only owns its lifecycle:
 * {@code start()} binds the port and starts the loop's thread, {@code stop()} stops the loop (which closes
 * the listening socket and every client, releasing the port) and joins its thread, within a bound.
 */
public final class SelectorEchoVerticle extends VerticleBase {

  /** How long stop() waits for the loop's thread. */
  static final Duration STOP_BOUND = Duration.ofSeconds(3);
  static final int ACCEPT_BACKLOG = 1024;

  private final EchoStats stats;
  private SelectorLoop loop;

  public SelectorEchoVerticle(EchoStats stats) {
    this.stats = stats;
  }

  @Override
  public Future<?> start() throws Exception {
    String host = config().getString("host");
    int port = config().getInteger("selector_echo_port");
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true); // rebinding soon after a stop must work
      channel.bind(new InetSocketAddress(host, port), ACCEPT_BACKLOG);
    } catch (IOException e) {
      channel.close();
      return Future.failedFuture(StartupException.cannotListen("selector_echo_port", host, port, e));
    }
    int bound = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    loop = SelectorLoop.open("selector-echo-loop");
    new SelectorEchoServer(loop, stats).listen(channel);
    loop.start();
    stats.listening("tcp://" + host + ":" + bound);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    SelectorLoop stopping = loop;
    loop = null;
    if (stopping == null) {
      return Future.succeededFuture();
    }
    // Joining a thread blocks: do it on a worker, never on the event loop.
    return vertx.executeBlocking(() -> stopping.shutdown(STOP_BOUND), false);
  }
}
