package org.concurrencylab.echo;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.measure.Latencies;
import org.concurrencylab.measure.ProcessCpu;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The echo load client: {@code connections} sockets, each sending one {@code size}-byte message and waiting
 * for all of it to come back before sending the next (a closed loop, as the book's clients do). Round
 * trips finished during the warm-up are not counted.
 *
 * <p>It shares the machine with the server it measures, and every CPU cycle it spends is one the server
 * does not get, so it is the cheapest client Java allows: {@code threads} plain selector loops (the
 * connections dealt out among them), each connection writing the message from one direct buffer and counting
 * its echo in a shared direct read buffer. Nothing is allocated per round trip and there is no pipeline,
 * future or task in the way: per round trip it costs one write, one read per chunk and its share of a
 * {@code select}. Measured on the 2-core machine against the same server, the Vert.x {@code NetClient} it
 * replaces cost about twice as much CPU per round trip. The same client drives every server, Java or Python.
 */
public final class EchoLoadClient {

  /** What one run measured. */
  public record Result(String host, int port, int connections, int size, double seconds, long roundTrips,
                       long errors, Latencies latencies, double cpuSeconds) {

    public double perSecond() {
      return seconds > 0 ? roundTrips / seconds : 0;
    }

    /** Payload bytes per second in each direction, in MB (10^6 bytes). */
    public double megabytesPerSecond() {
      return perSecond() * size / 1e6;
    }

    /**
     * CPU the client itself spent per round trip, in microseconds (its whole process, user and kernel time,
     * while measuring): the share of the machine the server under test did not get.
     */
    public double cpuMicrosPerRoundTrip() {
      return roundTrips > 0 ? cpuSeconds * 1e6 / roundTrips : 0;
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
        .put("client_cpu_us", Math.round(cpuMicrosPerRoundTrip() * 100) / 100.0)
        .put("errors", errors);
    }
  }

  /** How long a connect may take before the run fails. */
  static final int CONNECT_TIMEOUT_MS = 10_000;
  /** Each loop's read buffer: a 100 KiB echo that has fully arrived is taken in one read. */
  static final int READ_BUFFER_SIZE = 256 * 1024;

  private final String host;
  private final int port;
  private final int connections;
  private final int size;
  private final int threads;
  private final Duration warmup;
  private final Duration duration;
  /** The message, written by every connection from its own view of these bytes. */
  private final ByteBuffer message;
  private final List<LoadLoop> loops = new ArrayList<>();
  private volatile boolean measuring;
  private volatile boolean stopping;

  public EchoLoadClient(String host, int port, int connections, int size, int threads, Duration warmup,
                        Duration duration) {
    if (connections < 1 || size < 1 || threads < 1) {
      throw new IllegalArgumentException("connections, size and threads must be at least 1");
    }
    this.host = host;
    this.port = port;
    this.connections = connections;
    this.size = size;
    this.threads = Math.min(threads, connections);
    this.warmup = warmup;
    this.duration = duration;
    ByteBuffer bytes = ByteBuffer.allocateDirect(size);
    for (int i = 0; i < size; i++) {
      bytes.put((byte) ('a' + i % 26)); // printable and free of newlines, so it never reads as "boom"
    }
    this.message = bytes.flip().asReadOnlyBuffer();
  }

  /** Round trips counted so far, warm-up included (for the progress display {@link #run} ticks). */
  public long roundTrips() {
    long sum = 0;
    for (LoadLoop loop : loops) {
      sum += loop.roundTrips;
    }
    return sum;
  }

  /**
   * Connects every socket, runs the warm-up and the measured period, then closes the sockets; blocks the
   * calling thread (never an event loop) meanwhile, calling {@code tick} about once a second.
   *
   * @throws IOException when a connection cannot be made; a connection lost during the run counts as an error
   */
  public Result run(Runnable tick) throws IOException, InterruptedException {
    CountDownLatch finished = new CountDownLatch(threads);
    try {
      for (int i = 0; i < threads; i++) {
        loops.add(new LoadLoop(Selector.open(), finished));
      }
      InetSocketAddress address = new InetSocketAddress(host, port);
      for (int i = 0; i < connections; i++) {
        loops.get(i % threads).add(connect(address));
      }
    } catch (IOException e) {
      loops.forEach(LoadLoop::closeAll);
      throw e;
    }
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(loops.get(i), "echo-load-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    loops.forEach(LoadLoop::start);
    waitFor(warmup, tick);
    long cpuAtStart = ProcessCpu.nanos();
    long startedAt = System.nanoTime();
    measuring = true;
    waitFor(duration, tick);
    measuring = false;
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    double cpuSeconds = (ProcessCpu.nanos() - cpuAtStart) / 1e9;
    stopping = true;
    loops.forEach(LoadLoop::wakeup);
    if (!finished.await(10, TimeUnit.SECONDS)) {
      throw new IOException("the load threads did not stop within 10 s");
    }
    Latencies latencies = new Latencies();
    long roundTrips = 0;
    long errors = 0;
    for (LoadLoop loop : loops) {
      latencies.add(loop.latencies);
      roundTrips += loop.measured;
      errors += loop.errors;
    }
    return new Result(host, port, connections, size, seconds, roundTrips, errors, latencies, cpuSeconds);
  }

  private SocketChannel connect(InetSocketAddress address) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      channel.socket().connect(address, CONNECT_TIMEOUT_MS);
      channel.configureBlocking(false);
      return channel;
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Waits for {@code time} to pass, calling {@code tick} about once a second. */
  private static void waitFor(Duration time, Runnable tick) throws InterruptedException {
    long deadline = System.nanoTime() + time.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
      tick.run();
    }
  }

  /** One thread of the client: a selector over its share of the connections. */
  private final class LoadLoop implements Runnable {

    private final Selector selector;
    private final CountDownLatch finished;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final List<Connection> connections = new ArrayList<>();
    private final Latencies latencies = new Latencies();
    /** Round trips since the start, for the progress display (written by this loop only). */
    private volatile long roundTrips;
    /** Round trips while measuring; read once the loop has finished. */
    private long measured;
    private long errors;

    LoadLoop(Selector selector, CountDownLatch finished) {
      this.selector = selector;
      this.finished = finished;
    }

    void add(SocketChannel channel) throws IOException {
      SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
      Connection connection = new Connection(this, channel, key);
      key.attach(connection);
      connections.add(connection);
    }

    /** Sends every connection's first message; before the loop's thread runs {@code select}. */
    void start() {
      connections.forEach(Connection::send);
    }

    void wakeup() {
      selector.wakeup();
    }

    @Override
    public void run() {
      try {
        while (!stopping) {
          selector.select(this::ready, 1_000);
        }
      } catch (IOException | RuntimeException e) {
        errors++;
      } finally {
        closeAll();
        finished.countDown();
      }
    }

    private void ready(SelectionKey key) {
      ((Connection) key.attachment()).ready(key);
    }

    void roundTrip(long sentAt) {
      roundTrips++;
      if (measuring) {
        latencies.recordSince(sentAt);
        measured++;
      }
    }

    void lost(Connection connection) {
      if (!stopping) {
        errors++;
      }
      connection.close();
    }

    void closeAll() {
      connections.forEach(Connection::close);
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing: nothing left to do with it
      }
    }
  }

  /** One socket of the closed loop: sends, counts the echo until it is whole, records, sends again. */
  private final class Connection {

    private final LoadLoop loop;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final ByteBuffer outgoing = message.duplicate();
    private long sentAt;
    private int received;

    Connection(LoadLoop loop, SocketChannel channel, SelectionKey key) {
      this.loop = loop;
      this.channel = channel;
      this.key = key;
    }

    void send() {
      received = 0;
      outgoing.clear();
      sentAt = System.nanoTime();
      write();
    }

    /** Writes what the socket takes; the rest waits for {@code OP_WRITE} (reads go on meanwhile). */
    private void write() {
      try {
        channel.write(outgoing);
      } catch (IOException e) {
        loop.lost(this);
        return;
      }
      int ops = outgoing.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
      if (key.interestOps() != ops) {
        key.interestOps(ops);
      }
    }

    void ready(SelectionKey key) {
      if (!key.isValid()) {
        return;
      }
      if (key.isWritable()) {
        write();
      }
      if (key.isValid() && key.isReadable()) {
        read();
      }
    }

    private void read() {
      int n;
      try {
        n = channel.read(loop.readBuffer.clear());
      } catch (IOException e) {
        n = -1;
      }
      if (n < 0) {
        loop.lost(this); // the server closed or reset this connection mid-run
        return;
      }
      received += n;
      if (received < size) {
        return;
      }
      if (received > size) {
        loop.errors++; // more came back than was sent: the server broke the protocol
      }
      loop.roundTrip(sentAt);
      if (!stopping) {
        send();
      }
    }

    void close() {
      key.cancel();
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing: nothing left to do with it
      }
    }
  }
}
