package org.concurrencylab.sync.scenario;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.spi.StartupException;
import org.concurrencylab.sync.Event;
import org.concurrencylab.sync.Primitives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The book's 11.10-11.12 upload server on {@code upload_port}: each client sends bytes until it closes its
 * side; the server counts them and then sets the Event {@link #eventName(String, int) upload:host:port}
 * of that client, so whoever waits for the upload (on any node, with cluster-wide primitives) learns that
 * it is complete (the Event is kept a minute for late waiters, then forgotten). It also answers {@code sync.status} with its counts.
 */
public final class UploadServer extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(UploadServer.class);
  /** How long the Event of a finished upload stays set for late waiters. */
  static final long EVENT_RETENTION_MS = 60_000;

  private final Primitives primitives;
  private final String node;
  private final AtomicLong uploads = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong active = new AtomicLong();
  private NetServer server;

  public UploadServer(Primitives primitives, String node) {
    this.primitives = primitives;
    this.node = node;
  }

  /** The name of the Event set when the client at {@code host:port} has finished its upload. */
  public static String eventName(String host, int port) {
    return "upload:" + host + ":" + port;
  }

  @Override
  public Future<?> start() {
    String host = config().getString("host", "127.0.0.1");
    int port = config().getInteger("upload_port", 0);
    return vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port).setIdleTimeout(60))
      .connectHandler(this::receive)
      .listen()
      .recover(failure -> Future.failedFuture(StartupException.cannotListen("upload_port", host, port, failure)))
      .compose(listening -> {
        server = listening;
        return ServiceStatus.serve(vertx, "sync", node,
          new JsonArray().add(ServiceStatus.endpoint("upload", "tcp://" + host + ":" + listening.actualPort())),
          () -> new JsonObject().put("scope", primitives.scope()).put("uploads", uploads.get())
            .put("bytes", bytes.get()).put("active", active.get()));
      });
  }

  public int port() {
    return server.actualPort();
  }

  private void receive(NetSocket socket) {
    SocketAddress client = socket.remoteAddress();
    AtomicLong received = new AtomicLong();
    active.incrementAndGet();
    socket.handler(chunk -> received.addAndGet(chunk.length()));
    socket.closeHandler(closed -> active.decrementAndGet());
    socket.endHandler(end -> {
      uploads.incrementAndGet();
      bytes.addAndGet(received.get());
      log.debug("upload from {} complete: {} bytes", client, received.get());
      Event complete = primitives.event(eventName(client.hostAddress(), client.port()));
      complete.set().onComplete(set -> socket.close());
      // One event per upload: forgotten after a while, so that a long-running server keeps no history.
      vertx.setTimer(EVENT_RETENTION_MS, id -> complete.remove());
    });
    socket.exceptionHandler(failure -> socket.close());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
