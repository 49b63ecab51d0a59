package org.concurrencylab.echo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.concurrencylab.measure.Latencies;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The echo load client: {@code connections} sockets, each sending one {@code size}-byte message and waiting
 * for all of it to come back before sending the next (a closed loop, as the book's clients do). Round
 * trips finished during the warm-up are not counted.
 *
 * <p>It shares the machine with the server it measures, so it is written to cost next to nothing per round
 * trip: the message sits once in a direct buffer that every send hands to Netty as it is (no copy), and the
 * echo is counted straight from Netty's read buffers, never copied into a {@code Buffer} (the same two copies
 * {@link EchoConnection} avoids on the server side). Its {@link NetClient} is held for the whole run (a
 * client nobody references is closed by the garbage collector, sockets and all).
 */
public final class EchoLoadClient {

  /** What one run measured. */
  public record Result(String host, int port, int connections, int size, double seconds, long roundTrips,
                       long errors, Latencies latencies) {

    public double perSecond() {
      return seconds > 0 ? roundTrips / seconds : 0;
    }

    /** Payload bytes per second in each direction, in MB (10^6 bytes). */
    public double megabytesPerSecond() {
      return perSecond() * size / 1e6;
    }

    public JsonObject json() {
      return new JsonObject()
        .put("bench", "echo")
        .put("host", host)
        .put("port", port)
        .put("connections", connections)
        .put("size", size)
        .put("seconds", Math.round(seconds * 1000) / 1000.0)
        .put("round_trips", roundTrips)
        .put("per_s", Math.round(perSecond() * 10) / 10.0)
        .put("mb_per_s", Math.round(megabytesPerSecond() * 10) / 10.0)
        .put("p50_ms", Math.round(latencies.percentileMillis(50) * 1000) / 1000.0)
        .put("p99_ms", Math.round(latencies.percentileMillis(99) * 1000) / 1000.0)
        .put("max_ms", Math.round(latencies.maxMillis() * 1000) / 1000.0)
        .put("errors", errors);
    }
  }

  private final Vertx vertx;
  private final String host;
  private final int port;
  private final int connections;
  /** The message, never released: each send writes a duplicate (its own indexes, the same bytes). */
  private final ByteBuf message;
  private final int size;
  private final Duration warmup;
  private final Duration duration;
  private final Latencies latencies = new Latencies();
  private final LongAdder roundTrips = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private NetClient client;
  private volatile boolean measuring;
  private volatile boolean stopping;

  public EchoLoadClient(Vertx vertx, String host, int port, int connections, int size, Duration warmup,
                        Duration duration) {
    if (connections < 1 || size < 1) {
      throw new IllegalArgumentException("connections and size must be at least 1");
    }
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.connections = connections;
    this.warmup = warmup;
    this.duration = duration;
    this.size = size;
    ByteBuf bytes = Unpooled.directBuffer(size);
    for (int i = 0; i < size; i++) {
      bytes.writeByte('a' + i % 26); // printable and free of newlines, so it never reads as "boom"
    }
    this.message = Unpooled.unreleasableBuffer(bytes);
  }

  /** Round trips counted so far (for a progress display). */
  public long roundTrips() {
    return roundTrips.sum();
  }

  /**
   * Connects every socket, runs the warm-up and the measured period, then closes the sockets.
   * Fails when a connection cannot be made; a connection lost during the run counts as an error.
   */
  public Future<Result> run() {
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
    List<Future<Connection>> connecting = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      connecting.add(client.connect(port, host).map(Connection::new));
    }
    return Future.all(connecting)
      .compose(all -> {
        List<Connection> open = new ArrayList<>();
        connecting.forEach(f -> open.add(f.result()));
        open.forEach(Connection::send);
        return delay(warmup)
          .compose(v -> {
            measuring = true;
            return delay(duration);
          })
          .map(v -> {
            stopping = true;
            measuring = false;
            return new Result(host, port, connections, size, duration.toNanos() / 1e9,
              roundTrips.sum(), errors.sum(), latencies);
          });
      })
      .eventually(() -> client.close());
  }

  private Future<?> delay(Duration time) {
    return time.toMillis() < 1 ? Future.succeededFuture() : vertx.timer(time.toMillis());
  }

  /** One socket of the closed loop: sends, counts the echo until it is whole, records, sends again. */
  private final class Connection {

    private final NetSocketInternal socket;
    private long sentAt;
    private int received;

    Connection(NetSocket socket) {
      this.socket = (NetSocketInternal) socket;
      this.socket.channelHandlerContext().channel().config()
        .setRecvByteBufAllocator(EchoConnection.readSizes())
        .setAllocator(EchoConnection.POOL);
      this.socket.messageHandler(this::received);
      socket.closeHandler(v -> {
        if (!stopping) {
          errors.increment();
        }
      });
    }

    void send() {
      received = 0;
      sentAt = System.nanoTime();
      socket.writeMessage(message.duplicate());
    }

    private void received(Object chunk) {
      if (chunk instanceof ByteBuf bytes) {
        received += bytes.readableBytes();
      }
      ReferenceCountUtil.release(chunk);
      if (received < size) {
        return;
      }
      if (received > size) {
        errors.increment(); // more came back than was sent: the server broke the protocol
      }
      if (measuring) {
        latencies.recordSince(sentAt);
        roundTrips.increment();
      }
      if (!stopping) {
        send();
      }
    }
  }
}
