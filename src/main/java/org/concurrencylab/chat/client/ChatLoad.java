package org.concurrencylab.chat.client;

import org.concurrencylab.measure.Latencies;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread's share of the chat bench's users: a plain {@code java.nio} selector loop. Each user speaks the
 * book's protocol, sends its lines ({@code <seq> <send nanoTime> <padding>}) and checks that it receives every
 * line of every user, in each sender's order; a delivery's latency is its receive time minus the send time in
 * the line (one JVM, one clock).
 *
 * <p>The client shares the machine with the server it measures, and every cycle it spends is one the server
 * does not get, so it does the least Java allows per delivery: a user's received bytes are read into the
 * loop's one array and scanned there for {@code '\n'}, each line checked in place (no String, no Buffer, no
 * allocation per line); the lines a user owes are formatted into its own output buffer and written once per
 * loop turn (one write however many of its lines came back in that turn). Measured against the same server,
 * the Vert.x {@code NetClient} version it replaces cost the client about twice the CPU per delivery, more than
 * the lab's server spent. The same client drives every server, Java or Python.
 */
final class ChatLoad implements Runnable {

  /** What every load loop shares: the plan and the totals. */
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
    /** Users that could not connect or were closed before their welcome: they never take part. */
    final AtomicInteger neverWelcomed = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong outOfOrder = new AtomicLong();
    final AtomicLong firstSendNanos = new AtomicLong();
    final AtomicLong lastDeliveryNanos = new AtomicLong();
    final CountDownLatch allWelcomed = new CountDownLatch(1);
    volatile boolean stopping;

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

    /** The longest line a user sends: {@code <seq> <nanos> <padding>\n}. */
    int lineBytes() {
      return 10 + 1 + 19 + 1 + padding.length + 1;
    }
  }

  /** How long a connect may take before the user counts as disconnected. */
  static final int CONNECT_TIMEOUT_MS = 10_000;
  /** The loop's read array: what one read takes from one user's socket. */
  static final int READ_BUFFER_SIZE = 256 * 1024;
  /** With --rate: how often the loop wakes to send what is due. */
  private static final long TICK_MS = 2;
  private static final byte[] WELCOME = "Welcome!".getBytes(StandardCharsets.US_ASCII);

  private final Plan plan;
  private final Selector selector;
  private final CountDownLatch finished;
  private final List<User> users = new ArrayList<>();
  private final Latencies latencies = new Latencies();
  private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_SIZE);
  private final byte[] data = readBuffer.array();
  /** Users with lines formatted and not yet handed to their socket; each is in here once. */
  private final User[] unflushed;
  private int unflushedCount;
  private int nextToConnect;
  /** Connects this loop may start: users it waits for a welcome from are the difference. */
  private int connectsAllowed;
  /** Set by {@link #go} from the main thread; 0 until then. */
  private volatile long goNanos;
  private boolean started;
  private long startNanos;
  private boolean allDue;
  private long lastDelivery;

  ChatLoad(Plan plan, List<Integer> indexes, CountDownLatch finished) throws IOException {
    this.plan = plan;
    this.finished = finished;
    this.selector = Selector.open();
    for (int index : indexes) {
      users.add(new User(index));
    }
    this.unflushed = new User[users.size()];
    this.connectsAllowed = Math.max(1, plan.connectConcurrency);
  }

  Latencies latencies() {
    return latencies;
  }

  /** Everyone is in the room: start sending (called from another thread). */
  void go(long startNanos) {
    goNanos = startNanos;
    selector.wakeup();
  }

  void wakeup() {
    selector.wakeup();
  }

  @Override
  public void run() {
    try {
      while (!plan.stopping) {
        connectAllowed();
        if (!started && goNanos != 0) {
          start(goNanos);
        }
        boolean ticking = started && plan.rate > 0 && !allDue;
        if (ticking) {
          tick();
        }
        flushAll(); // what this turn formatted: one write per user
        selector.select(this::ready, ticking ? TICK_MS : 100);
        if (lastDelivery != 0) {
          plan.lastDeliveryNanos.accumulateAndGet(lastDelivery, Math::max);
          lastDelivery = 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("chat bench: a load loop failed: " + e);
    } finally {
      for (User user : users) {
        user.close();
      }
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing: nothing left to do with it
      }
      finished.countDown();
    }
  }

  /** Opens connections while fewer than the allowed number of users wait for their welcome. */
  private void connectAllowed() {
    while (connectsAllowed > 0 && nextToConnect < users.size()) {
      connectsAllowed--;
      users.get(nextToConnect++).connect();
    }
  }

  private void start(long at) {
    started = true;
    startNanos = at;
    if (plan.rate <= 0) {
      for (User user : users) {
        for (int i = 0; i < plan.window; i++) {
          user.sendNext();
        }
      }
    }
  }

  /** Open loop: each user owes {@code elapsed * rate} lines; a user whose output is full waits for the next tick. */
  private void tick() {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    long due = Math.min(plan.messages, (long) (elapsed * plan.rate) + 1);
    boolean all = true;
    for (User user : users) {
      while (user.sent < due && user.channel != null && user.hasRoom()) {
        user.sendNext();
      }
      all &= user.sent >= plan.messages || user.channel == null;
    }
    allDue = all;
  }

  private void ready(SelectionKey key) {
    User user = (User) key.attachment();
    if (key.isValid() && key.isWritable()) {
      user.flush();
    }
    if (key.isValid() && key.isReadable()) {
      user.read();
      // The lines this read let the user send go now, not after every other ready socket: still one write per
      // user per turn (a user is read once a turn), and the server gets them a turn's worth of reads earlier.
      user.flush();
    }
  }

  private void flushAll() {
    for (int i = 0; i < unflushedCount; i++) {
      User user = unflushed[i];
      unflushed[i] = null;
      user.queued = false;
      user.flush();
    }
    unflushedCount = 0;
  }

  private final class User {
    final int index;
    final byte[] name;
    final int[] nextSeq = new int[plan.clients];
    /** Lines formatted and not yet written: between flushes in write mode from 0 to position. */
    ByteBuffer out = ByteBuffer.allocate(Math.max(4096, 4 * plan.window * plan.lineBytes()));
    SocketChannel channel;
    SelectionKey key;
    /** The start of a line the last read cut off: {@code partial[0, partialLength)}. */
    byte[] partial = new byte[256];
    int partialLength;
    int sent;
    boolean welcomed;
    boolean queued;

    User(int index) {
      this.index = index;
      this.name = plan.name(index).getBytes(StandardCharsets.US_ASCII);
    }

    void connect() {
      try {
        SocketChannel socket = SocketChannel.open();
        try {
          socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
          socket.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
          socket.socket().connect(new InetSocketAddress(plan.host, plan.port), CONNECT_TIMEOUT_MS);
          socket.configureBlocking(false);
          key = socket.register(selector, SelectionKey.OP_READ, this);
        } catch (IOException e) {
          socket.close();
          throw e;
        }
        channel = socket;
      } catch (IOException e) {
        plan.disconnected.incrementAndGet();
        plan.neverWelcomed.incrementAndGet();
        connectsAllowed++;
        return;
      }
      out.put("CONNECT ".getBytes(StandardCharsets.US_ASCII)).put(name).put((byte) '\n');
      queue();
    }

    boolean hasRoom() {
      return out.remaining() >= plan.lineBytes();
    }

    void sendNext() {
      if (sent >= plan.messages || channel == null) {
        return;
      }
      long now = System.nanoTime();
      if (plan.firstSendNanos.get() == 0) {
        plan.firstSendNanos.compareAndSet(0, now);
      }
      if (!hasRoom()) {
        growOut();
      }
      byte[] line = out.array();
      int at = out.position();
      at = decimal(now, line, decimal(sent, line, at) + 1) + 1; // "<seq> <nanos> "
      System.arraycopy(plan.padding, 0, line, at, plan.padding.length);
      at += plan.padding.length;
      line[at++] = '\n';
      out.position(at);
      sent++;
      plan.sent.incrementAndGet();
      queue();
    }

    /** A closed loop holds at most its window here; an open loop waits for room (see {@link #hasRoom}). */
    private void growOut() {
      ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2);
      out.flip();
      bigger.put(out);
      out = bigger;
    }

    private void queue() {
      if (!queued) {
        queued = true;
        unflushed[unflushedCount++] = this;
      }
    }

    /** Hands what is formatted to the socket; what it does not take waits for {@code OP_WRITE}. */
    void flush() {
      if (channel == null || out.position() == 0) {
        return;
      }
      out.flip();
      try {
        channel.write(out);
      } catch (IOException e) {
        out.clear();
        lost();
        return;
      }
      out.compact();
      int ops = out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
      if (key.interestOps() != ops) {
        key.interestOps(ops);
      }
    }

    /** Reads what the socket has (the loop's array, after the cut-off line) and scans it for lines. */
    void read() {
      int lines = 0;
      long now = 0;
      while (true) {
        if (partialLength > 0) {
          System.arraycopy(partial, 0, data, 0, partialLength);
        }
        readBuffer.clear().position(partialLength);
        int n;
        try {
          n = channel.read(readBuffer);
        } catch (IOException e) {
          n = -1;
        }
        if (n <= 0) {
          if (n < 0) {
            lost();
          }
          break;
        }
        now = System.nanoTime();
        int length = partialLength + n;
        int start = 0;
        for (int i = 0; i < length; i++) {
          if (data[i] == '\n') {
            if (line(start, i, now)) {
              lines++;
            }
            start = i + 1;
          }
        }
        partialLength = length - start;
        if (partialLength > 0) {
          if (partial.length < partialLength) {
            partial = new byte[Math.max(partialLength, partial.length * 2)];
          }
          System.arraycopy(data, start, partial, 0, partialLength);
        }
        if (length < data.length || channel == null) {
          break; // the socket had no more than this; a full array means it may have more
        }
        if (partialLength == data.length) {
          lost(); // a line longer than the array: not this bench's server
          break;
        }
      }
      if (lines > 0) {
        plan.delivered.addAndGet(lines);
        lastDelivery = now;
      }
    }

    /** One line {@code data[from, to)}: a bench line ({@code c<index>_<tag>: <seq> <nanos> ...}) counts. */
    private boolean line(int from, int to, long now) {
      if (!welcomed) {
        if (startsWith(from, to, WELCOME)) {
          welcomed = true;
          connectsAllowed++;
          if (plan.welcomed.incrementAndGet() == plan.clients) {
            plan.allWelcomed.countDown();
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
        sendNext(); // closed loop: our own line came back, the next one may go (at this turn's flush)
      }
      return true;
    }

    private boolean startsWith(int from, int to, byte[] prefix) {
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

    /** The server closed or reset the connection. */
    private void lost() {
      if (channel == null) {
        return;
      }
      close();
      plan.disconnected.incrementAndGet();
      if (!welcomed) {
        plan.neverWelcomed.incrementAndGet();
        connectsAllowed++;
      }
    }

    void close() {
      if (channel == null) {
        return;
      }
      key.cancel();
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing: nothing left to do with it
      }
      channel = null;
    }
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
}
