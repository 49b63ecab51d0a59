package org.concurrencylab.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A plain blocking chat client for tests (not Vert.x, so the server is checked by something else): writes
 * raw bytes or lines, and reads the server's lines on a thread of its own into a queue.
 */
final class LineClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);
  /** Put in the queue when the server closed the connection. */
  static final String EOF = "<eof>";

  private final Socket socket;
  private final OutputStream out;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();

  private LineClient(Socket socket, boolean reading) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    if (reading) {
      Thread reader = new Thread(this::readAll, "line-client-reader");
      reader.setDaemon(true);
      reader.start();
    }
  }

  static LineClient connect(int port) {
    return open(port, true, 0);
  }

  /** A client that never reads, with a small receive buffer so the server's unsent data piles up quickly. */
  static LineClient neverReading(int port) {
    return open(port, false, 4096);
  }

  private static LineClient open(int port, boolean reading, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      return new LineClient(socket, reading);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Connects and says {@code CONNECT name}, returning once the welcome arrived. */
  static LineClient join(int port, String name) {
    LineClient client = connect(port);
    client.send("CONNECT " + name);
    client.await(line -> line.startsWith("Welcome! "));
    return client;
  }

  private void readAll() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException ignored) {
      // closed
    }
    lines.add(EOF);
  }

  LineClient send(String line) {
    return sendBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  LineClient sendBytes(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next line (or {@link #EOF}), failing after {@link #WAIT}. */
  String next() {
    try {
      String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new AssertionError("no line within " + WAIT + "; last lines: " + tail());
      }
      seen.add(line);
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** Reads until a line matches, returning it; fails on EOF or after {@link #WAIT}. */
  String await(Predicate<String> wanted) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      String line = next();
      if (wanted.test(line)) {
        return line;
      }
      if (line.equals(EOF)) {
        throw new AssertionError("the server closed the connection; last lines: " + tail());
      }
    }
    throw new AssertionError("no matching line within " + WAIT + "; last lines: " + tail());
  }

  String await(String exact) {
    return await(exact::equals);
  }

  /** Reads until the server closes, returning every line before the close. */
  List<String> untilClosed() {
    List<String> rest = new ArrayList<>();
    for (String line = next(); !line.equals(EOF); line = next()) {
      rest.add(line);
    }
    return rest;
  }

  /** The last few lines taken, shortened, for failure messages. */
  private List<String> tail() {
    return seen.subList(Math.max(0, seen.size() - 5), seen.size()).stream()
      .map(line -> line.length() > 80 ? line.substring(0, 80) + "..." : line).toList();
  }

  /** Every line taken so far, in order. */
  List<String> seen() {
    drain();
    return List.copyOf(seen);
  }

  /** Lines already read and not yet taken, without waiting. */
  List<String> drain() {
    List<String> out = new ArrayList<>();
    lines.drainTo(out);
    seen.addAll(out);
    return out;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
