package org.concurrencylab.bridge;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.spi.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The TCP event-bus bridge on {@code bridge_port}, bound to {@code host}. Its two lists are the one place that
 * says what a TCP client may reach; anything else is answered {@code {type: "err", message: "access_denied"}} and
 * never reaches the bus. Replies to a client's requests need no permit.
 *
 * <p>Two guards the library leaves to its user: a client silent for {@link #IDLE_TIMEOUT_S} is disconnected (the
 * Python client pings), and a client that does not read what it registered for is disconnected once its socket's
 * write queue is full, rather than the node buffering for it without bound. And {@code fetch.run} may publish its
 * results only to the client's own {@code fetch.results.<id>}.
 */
final class TcpBridgeVerticle extends VerticleBase {

  /** Addresses a client may send or publish to (regular expressions). */
  static final List<String> INBOUND = List.of(
    "[a-z-]+\\.status(\\.[A-Za-z0-9_.:-]+)?",
    "lab\\.members",
    "mapreduce\\.jobs\\.start",
    "mapreduce\\.wordcount",
    "mapreduce\\.job\\.[A-Za-z0-9_-]+",
    "fetch\\.run",
    "chat\\.bus\\.join",
    "chat\\.say\\.[A-Za-z0-9_-]+");

  /** Addresses a client may register for (regular expressions). */
  static final List<String> OUTBOUND = List.of(
    "mapreduce\\.progress",
    "chat\\.lines\\.[A-Za-z0-9_-]+",
    "fetch\\.results\\.[A-Za-z0-9_-]+");

  /**
   * Where a client may ask {@code fetch.run} to publish its results: its own {@code fetch.results.<id>}, never
   * an address of another service (whose consumers expect other bodies).
   */
  static final Pattern FETCH_PUBLISH = Pattern.compile("fetch\\.results\\.[A-Za-z0-9_-]+");

  static final int IDLE_TIMEOUT_S = 120;
  static final long SLOW_READER_CHECK_MS = 500;

  private static final Logger log = LoggerFactory.getLogger(TcpBridgeVerticle.class);

  private final String node;
  /** Clients that have sent a frame and are still connected. */
  private final Set<NetSocket> clients = new HashSet<>();
  private long requests;
  private long publishes;
  private long registrations;
  private long clientsTotal;
  private long slowClientsClosed;
  private long timer = -1;
  private TcpEventBusBridge bridge;

  TcpBridgeVerticle(String node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    String host = config().getString("host", "127.0.0.1");
    int port = config().getInteger("bridge_port", 7000);
    BridgeOptions permits = new BridgeOptions();
    INBOUND.forEach(regex -> permits.addInboundPermitted(new PermittedOptions().setAddressRegex(regex)));
    OUTBOUND.forEach(regex -> permits.addOutboundPermitted(new PermittedOptions().setAddressRegex(regex)));
    NetServerOptions server = new NetServerOptions().setTcpNoDelay(true)
      .setIdleTimeout(IDLE_TIMEOUT_S).setIdleTimeoutUnit(TimeUnit.SECONDS);
    bridge = TcpEventBusBridge.create(vertx, permits, server, this::event);
    return bridge.listen(port, host)
      .recover(failure -> Future.failedFuture(StartupException.cannotListen("bridge_port", host, port, failure)))
      .compose(listening -> {
        log.info("event-bus bridge on tcp://{}:{}", host, port);
        timer = vertx.setPeriodic(SLOW_READER_CHECK_MS, id -> closeSlowReaders());
        return ServiceStatus.serve(vertx, "bridge", node,
          new JsonArray().add(ServiceStatus.endpoint("tcp", "tcp://" + host + ":" + port)), this::stats);
      });
  }

  /** Counts what clients do (every frame that gets here was permitted already), and checks fetch.run's publish. */
  private void event(BridgeEvent event) {
    NetSocket socket = event.socket();
    if (socket != null && clients.add(socket)) {
      clientsTotal++;
      socket.closeHandler(closed -> clients.remove(socket));
    }
    switch (event.type()) {
      case SEND -> requests++;
      case PUBLISH -> publishes++;
      case REGISTER -> registrations++;
      default -> {
      }
    }
    event.complete(allowed(event));
  }

  private static boolean allowed(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    if (event.type() != BridgeEventType.SEND || frame == null || !"fetch.run".equals(frame.getString("address"))) {
      return true;
    }
    Object body = frame.getValue("body");
    Object publish = body instanceof JsonObject json ? json.getValue("publish") : null;
    return publish == null || (publish instanceof String address && FETCH_PUBLISH.matcher(address).matches());
  }

  private void closeSlowReaders() {
    for (NetSocket socket : List.copyOf(clients)) {
      if (socket.writeQueueFull()) {
        slowClientsClosed++;
        log.info("closing bridge client {}: it does not read what it registered for", socket.remoteAddress());
        clients.remove(socket);
        socket.close();
      }
    }
  }

  private JsonObject stats() {
    return new JsonObject()
      .put("clients", clients.size())
      .put("clients_total", clientsTotal)
      .put("requests", requests)
      .put("publishes", publishes)
      .put("registrations", registrations)
      .put("slow_clients_closed", slowClientsClosed)
      .put("inbound", new JsonArray(INBOUND))
      .put("outbound", new JsonArray(OUTBOUND));
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }
}
