package org.concurrencylab.echo.selector;

import org.concurrencylab.echo.EchoStats;
import org.concurrencylab.eventloop.ChannelHandler;
import org.concurrencylab.eventloop.SelectorLoop;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The accepting side of the selector echo: registered for {@code OP_ACCEPT}, it accepts every pending client
 * and registers each with its own {@link SelectorEchoConnection}.
 *
 * <p>All connections share one read buffer: the loop runs one handler at a time, and a connection hands
 * back or copies what it read before the next one reads. It is direct, so the kernel reads straight into it
 * (a heap buffer would cost the JDK a copy through a temporary direct one), and as large as uvloop's.
 */
final class SelectorEchoServer implements ChannelHandler {

  static final int READ_BUFFER_SIZE = 256 * 1024;

  private final SelectorLoop loop;
  private final EchoStats stats;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);

  SelectorEchoServer(SelectorLoop loop, EchoStats stats) {
    this.loop = loop;
    this.stats = stats;
  }

  /** Starts accepting on a bound channel. On the loop's thread, or before the loop starts. */
  void listen(ServerSocketChannel channel) throws IOException {
    loop.register(channel, SelectionKey.OP_ACCEPT, this);
  }

  @Override
  public void ready(SelectionKey key) throws IOException {
    ServerSocketChannel server = (ServerSocketChannel) key.channel();
    SocketChannel client;
    while ((client = server.accept()) != null) {
      try {
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        loop.register(client, SelectionKey.OP_READ, new SelectorEchoConnection(loop, stats, readBuffer));
        stats.opened();
      } catch (IOException e) {
        client.close(); // this client left before we could serve it; the server goes on
      }
    }
  }
}
