package org.concurrencylab.chat;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import org.concurrencylab.spi.StartupException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The book's chat server on {@code chat_port}: one instance per event loop, each with the {@link RoomShard} of
 * the users it accepted.
 */
final class TcpChatServer extends VerticleBase {

  /** The peer's listen backlog, so a burst of 1,000 connects is not dropped by either. */
  static final int ACCEPT_BACKLOG = 1024;

  private final ChatSettings settings;
  private final AtomicInteger port;
  private NetServer server;
  private RoomShard shard;

  TcpChatServer(ChatSettings settings, AtomicInteger port) {
    this.settings = settings;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    shard = new RoomShard(vertx, settings, ChatStats.of(vertx));
    NetServerOptions options = new NetServerOptions()
      .setHost(settings.host())
      .setPort(port.get())
      .setAcceptBacklog(ACCEPT_BACKLOG)
      .setTcpNoDelay(true);
    return shard.start()
      .compose(v -> vertx.createNetServer(options)
        .connectHandler(socket -> new TcpMember(socket, shard).start())
        .listen()
        .recover(failure -> Future.failedFuture(
          StartupException.cannotListen("chat_port", settings.host(), port.get(), failure))))
      .onSuccess(listening -> {
        server = listening;
        port.set(listening.actualPort());
      });
  }

  /** Stops accepting, then takes this loop's users out of the room (the others see them leave). */
  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.transform(v -> shard.stop());
  }
}
