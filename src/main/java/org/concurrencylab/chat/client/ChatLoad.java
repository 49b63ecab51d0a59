package org.concurrencylab.chat.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.concurrencylab.measure.Latencies;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One event loop's share of the chat bench's users. Each user speaks the book's protocol, sends its lines
 * ({@code <seq> <send nanoTime> <padding>}) and checks that it receives every line of every user, in each
 * sender's order; a delivery's latency is its receive time minus the send time in the line (one JVM, one
 * clock). Received bytes are scanned in place: the client must not be the bottleneck it measures.
 */
final class ChatLoad extends VerticleBase {

  /** What every load verticle shares: the plan and the totals. */
  static final class Plan {
    final String host;
    final int port;
    final int clients;
    final int messages;
    final double rate;
    final int window;
    final byte[] padding;
    final String tag;
    final int connectConcurrency;
    final AtomicInteger welcomed = new AtomicInteger();
    final AtomicInteger disconnected = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong firstSendNanos = new AtomicLong();
    final AtomicLong lastDeliveryNanos = new AtomicLong();
    final Promise<Void> allWelcomed = Promise.promise();

    Plan(String host, int port, int clients, int messages, double rate, int window, int size, String tag,
         int connectConcurrency) {
      this.host = host;
      this.port = port;
      this.clients = clients;
      this.messages = messages;
      this.rate = rate;
      this.window = window;
      this.padding = "x".repeat(Math.max(0, size)).getBytes(StandardCharsets.US_ASCII);
      this.tag = tag;
      this.connectConcurrency = connectConcurrency;
    }

    long expected() {
      return (long) clients * clients * messages;
    }

    String name(int index) {
      return "c" + index + "_" + tag;
    }
  }

  private static final long TICK_MS = 2;
  private static final byte[] WELCOME = "Welcome!".getBytes(StandardCharsets.US_ASCII);

  private final Plan plan;
  private final List<Integer> indexes;
  private final Latencies latencies = new Latencies();
  private final List<User> users = new ArrayList<>();
  private NetClient client;
  private io.vertx.core.Context context;
  private long startNanos;
  private long ticker = -1;
  private int nextToConnect;
  /** Where a user's chunk is scanned; one per event loop, reused. */
  private byte[] scratch = new byte[64 * 1024];

  ChatLoad(Plan plan, List<Integer> indexes) {
    this.plan = plan;
    this.indexes = indexes;
  }

  Latencies latencies() {
    return latencies;
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000)
      .setReceiveBufferSize(256 * 1024));
    for (int index : indexes) {
      users.add(new User(index));
    }
    int first = Math.max(1, Math.min(users.size(), plan.connectConcurrency));
    for (int i = 0; i < first; i++) {
      connectNext();
    }
    return Future.succeededFuture();
  }

  private void connectNext() {
    if (nextToConnect >= users.size()) {
      return;
    }
    User user = users.get(nextToConnect++);
    client.connect(plan.port, plan.host).onComplete(user::connected, failure -> {
      plan.disconnected.incrementAndGet();
      connectNext();
    });
  }

  /** Everyone is in the room: start sending. */
  void go(long startNanos) {
    context.runOnContext(v -> start(startNanos));
  }

  private void start(long startNanos) {
    this.startNanos = startNanos;
    if (plan.rate > 0) {
      ticker = vertx.setPeriodic(TICK_MS, id -> tick());
    } else {
      for (User user : users) {
        for (int i = 0; i < plan.window; i++) {
          user.sendNext();
        }
      }
    }
  }

  /** Open loop: each user owes {@code elapsed * rate} lines; a socket that is full waits for the next tick. */
  private void tick() {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    long due = Math.min(plan.messages, (long) (elapsed * plan.rate) + 1);
    boolean allSent = true;
    for (User user : users) {
      while (user.sent < due && user.socket != null && !user.socket.writeQueueFull()) {
        user.sendNext();
      }
      allSent &= user.sent >= plan.messages || user.socket == null;
    }
    if (allSent) {
      vertx.cancelTimer(ticker);
    }
  }

  private final class User {
    final int index;
    final byte[] name;
    final int[] nextSeq = new int[plan.clients];
    NetSocket socket;
    /** The start of a line the last chunk cut off: {@code partial[0, partialLength)}. */
    byte[] partial = new byte[256];
    int partialLength;
    int sent;
    boolean welcomed;

    User(int index) {
      this.index = index;
      this.name = plan.name(index).getBytes(StandardCharsets.US_ASCII);
    }

    void connected(NetSocket socket) {
      this.socket = socket;
      if (socket instanceof NetSocketInternal internal) {
        // The bytes as Netty read them: Vert.x's handler(...) would first copy each chunk into a Buffer.
        internal.messageHandler(message -> {
          try {
            if (message instanceof ByteBuf chunk) {
              received(chunk);
            }
          } finally {
            ReferenceCountUtil.release(message);
          }
        });
      } else {
        socket.handler(buffer -> received(((BufferInternal) buffer).getByteBuf()));
      }
      socket.closeHandler(v -> {
        this.socket = null;
        plan.disconnected.incrementAndGet();
        if (!welcomed) {
          connectNext();
        }
      });
      socket.write("CONNECT " + plan.name(index) + "\n");
    }

    void sendNext() {
      if (sent >= plan.messages || socket == null) {
        return;
      }
      long now = System.nanoTime();
      plan.firstSendNanos.compareAndSet(0, now);
      byte[] line = new byte[42 + plan.padding.length];
      int length = decimal(now, line, decimal(sent, line, 0) + 1) + 1; // "<seq> <nanos> "
      System.arraycopy(plan.padding, 0, line, length, plan.padding.length);
      length += plan.padding.length;
      line[length++] = '\n';
      sent++;
      plan.sent.incrementAndGet();
      socket.write(Buffer.buffer(length).appendBytes(line, 0, length));
    }

    /** Writes {@code value} (at least 0) in decimal at {@code at}, then a space; returns where the space is. */
    private static int decimal(long value, byte[] into, int at) {
      int digits = 1;
      for (long rest = value / 10; rest > 0; rest /= 10) {
        digits++;
      }
      for (int i = at + digits - 1; i >= at; i--) {
        into[i] = (byte) ('0' + value % 10);
        value /= 10;
      }
      into[at + digits] = ' ';
      return at + digits;
    }

    /**
     * Scans a chunk for lines. The bytes are copied once into the loop's scratch array and scanned there:
     * per-byte Buffer reads are bounds- and liveness-checked, and at a million deliveries a second the client
     * would spend more on those checks than the server spends on the lines.
     */
    void received(ByteBuf chunk) {
      int length = partialLength + chunk.readableBytes();
      if (scratch.length < length) {
        scratch = new byte[Math.max(length, scratch.length * 2)];
      }
      byte[] data = scratch;
      if (partialLength > 0) {
        System.arraycopy(partial, 0, data, 0, partialLength);
      }
      chunk.getBytes(chunk.readerIndex(), data, partialLength, chunk.readableBytes());
      partialLength = 0;
      long now = System.nanoTime();
      int start = 0;
      int lines = 0;
      for (int i = 0; i < length; i++) {
        if (data[i] == '\n') {
          if (line(data, start, i, now)) {
            lines++;
          }
          start = i + 1;
        }
      }
      if (start < length) {
        partialLength = length - start;
        if (partial.length < partialLength) {
          partial = new byte[Math.max(partialLength, partial.length * 2)];
        }
        System.arraycopy(data, start, partial, 0, partialLength);
      }
      if (lines > 0) {
        plan.delivered.addAndGet(lines);
        plan.lastDeliveryNanos.accumulateAndGet(now, Math::max);
      }
    }

    /** One line: a bench line ({@code c<index>_<tag>: <seq> <nanos> ...}) counts; the room's own lines do not. */
    private boolean line(byte[] data, int from, int to, long now) {
      if (!welcomed) {
        if (startsWith(data, from, to, WELCOME)) {
          welcomed = true;
          connectNext();
          if (plan.welcomed.incrementAndGet() == plan.clients) {
            plan.allWelcomed.tryComplete();
          }
        }
        return false;
      }
      if (to - from < 4 || data[from] != 'c') {
        return false;
      }
      int i = from + 1;
      int sender = 0;
      byte b;
      while (i < to && (b = data[i]) >= '0' && b <= '9') {
        sender = sender * 10 + (b - '0');
        i++;
      }
      // "_<tag>: " (a user of another run, or "c1_x connected!", is not a bench line of this run)
      int colon = i + 1 + plan.tag.length();
      if (colon + 2 >= to || sender >= plan.clients || data[i] != '_'
        || data[colon] != ':' || data[colon + 1] != ' ') {
        return false;
      }
      i = colon + 2;
      int seq = 0;
      while (i < to && (b = data[i]) != ' ') {
        seq = seq * 10 + (b - '0');
        i++;
      }
      i++;
      long sentAt = 0;
      while (i < to && (b = data[i]) != ' ') {
        sentAt = sentAt * 10 + (b - '0');
        i++;
      }
      if (seq != nextSeq[sender]) {
        plan.outOfOrder.incrementAndGet();
      }
      nextSeq[sender] = seq + 1;
      latencies.recordNanos(now - sentAt);
      if (plan.rate <= 0 && sender == index) {
        sendNext(); // closed loop: our own line came back, the next one may go
      }
      return true;
    }

    private static boolean startsWith(byte[] data, int from, int to, byte[] prefix) {
      if (to - from < prefix.length) {
        return false;
      }
      for (int k = 0; k < prefix.length; k++) {
        if (data[from + k] != prefix[k]) {
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }
}
