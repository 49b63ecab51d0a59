package org.concurrencylab.echo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.concurrencylab.spi.StartupException;

/**
 * The Vert.x TCP echo on {@code echo_port}: one {@link EchoConnection} per client. Several instances share
 * the port: Vert.x binds it once and hands each new connection to the next instance's event loop.
 *
 * <p>Stopping closes the server: it stops accepting, closes every open connection and releases the port.
 */
public final class EchoServerVerticle extends VerticleBase {

  /** Bytes a connection may have waiting for the kernel before it stops reading its client (Netty's high water mark). */
  static final int WRITE_QUEUE_MAX_SIZE = 512 * 1024;
  /** Pending connections the kernel keeps for us, as the Python peers' {@code --backlog 1024}. */
  static final int ACCEPT_BACKLOG = 1024;

  private final EchoStats stats;
  private final int port;
  private NetServer server;

  /**
   * @param stats the counters every instance shares
   * @param port  the port to listen on; a negative one is a random port shared by the instances given it
   */
  public EchoServerVerticle(EchoStats stats, int port) {
    this.stats = stats;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    String host = config().getString("host");
    NetServerOptions options = new NetServerOptions()
      .setHost(host)
      .setPort(port)
      .setTcpNoDelay(true) // an echo is request/response: never hold a small reply back (Nagle)
      .setAcceptBacklog(ACCEPT_BACKLOG);
    return vertx.createNetServer(options)
      .connectHandler(socket -> EchoConnection.serve(socket, stats, WRITE_QUEUE_MAX_SIZE))
      .listen()
      .recover(failure -> Future.failedFuture(StartupException.cannotListen("echo_port", host, Math.max(port, 0), failure)))
      .onSuccess(listening -> {
        server = listening;
        stats.listening("tcp://" + host + ":" + listening.actualPort());
      });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
