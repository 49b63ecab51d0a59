package org.concurrencylab.echo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.concurrencylab.spi.StartupException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Vert.x TCP echo on {@code echo_port}: one {@link EchoConnection} per client. Several instances share
 * the port (Vert.x hands each new connection to the next instance's event loop); the first binds it, so a
 * configured port 0 (tests) gives one random port for all of them.
 *
 * <p>Stopping closes the server: it stops accepting, closes every open connection and releases the port.
 */
public final class EchoServerVerticle extends VerticleBase {

  /** Bytes a connection may have waiting for the kernel before it stops reading its client. */
  static final int WRITE_QUEUE_MAX_SIZE = 256 * 1024;
  /** Pending connections the kernel keeps for us, as the Python peers' {@code --backlog 1024}. */
  static final int ACCEPT_BACKLOG = 1024;

  private final EchoStats stats;
  private final AtomicInteger port;
  private NetServer server;

  /**
   * @param stats the counters every instance shares
   * @param port  the port to bind, replaced by the bound port once the first instance listens
   */
  public EchoServerVerticle(EchoStats stats, AtomicInteger port) {
    this.stats = stats;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    String host = config().getString("host");
    int wanted = port.get();
    NetServerOptions options = new NetServerOptions()
      .setHost(host)
      .setPort(wanted)
      .setTcpNoDelay(true) // an echo is request/response: never hold a small reply back (Nagle)
      .setAcceptBacklog(ACCEPT_BACKLOG);
    return vertx.createNetServer(options)
      .connectHandler(socket -> new EchoConnection(socket, stats, WRITE_QUEUE_MAX_SIZE))
      .listen()
      .recover(failure -> Future.failedFuture(StartupException.cannotListen("echo_port", host, wanted, failure)))
      .onSuccess(listening -> {
        server = listening;
        port.set(listening.actualPort());
        stats.listening("tcp://" + host + ":" + listening.actualPort());
      });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
