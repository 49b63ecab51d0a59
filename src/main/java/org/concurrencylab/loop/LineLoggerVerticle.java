package org.concurrencylab.loop;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.spi.StartupException;
import org.concurrencylab.trace.RequestIds;
import org.concurrencylab.trace.Scopes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The book's 14.2: a TCP server that logs each line a client sends together with the client's address, which
 * it reads from a context variable rather than from a parameter. Here each connection runs in a scope of its
 * own holding the peer ({@link LoopLocals#PEER}), and each line in a scope of its own forked from it, with a
 * new request id: the line's log lines show that id, and so do those of the {@code loop.record} consumer it
 * sends the line to, on whichever node that runs. The client gets {@code logged <id> on <node>} per line.
 */
final class LineLoggerVerticle extends VerticleBase {

  static final int MAX_LINE = 4_096;
  private static final Logger log = LoggerFactory.getLogger(LineLoggerVerticle.class);

  private NetServer server;

  @Override
  public Future<?> start() {
    String host = config().getString("host", "127.0.0.1");
    int port = config().getInteger("loop_logger_port", 9001);
    server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(port));
    return server.connectHandler(this::connected)
      .listen()
      .recover(failure -> Future.failedFuture(StartupException.cannotListen("loop_logger_port", host, port, failure)));
  }

  int actualPort() {
    return server.actualPort();
  }

  private void connected(NetSocket socket) {
    // The book's _client_connected: user_address.set(peername). Everything this connection does from now on
    // runs in its scope and reads the peer from there.
    Context connection = Scopes.fork();
    connection.putLocal(LoopLocals.PEER, socket.remoteAddress().toString());
    RecordParser lines = RecordParser.newDelimited("\n")
      .maxRecordSize(MAX_LINE)
      .handler(line -> RequestIds.runInNewScope(RequestIds.newId(), line, l -> logLine(socket, l)))
      .exceptionHandler(tooLong -> {
        socket.write("error: a line is longer than " + MAX_LINE + " bytes\n");
        socket.close();
      });
    socket.handler(buffer -> Scopes.run(connection, buffer, lines));
  }

  private void logLine(NetSocket socket, Buffer line) {
    String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
    String peer = Vertx.currentContext().getLocal(LoopLocals.PEER);
    log.info("Got message {} from {}", text, peer);
    Bus.<JsonObject>request(vertx, RecordVerticle.ADDRESS, new JsonObject().put("line", text).put("peer", peer))
      .onComplete(
        recorded -> socket.write("logged " + RequestIds.current() + " on " + recorded.getString("node") + "\n"),
        failure -> {
          log.warn("could not record a line from {}: {}", Vertx.currentContext().getLocal(LoopLocals.PEER),
            Failure.describe(failure));
          socket.write("error: " + Failure.describe(failure) + "\n");
        });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
