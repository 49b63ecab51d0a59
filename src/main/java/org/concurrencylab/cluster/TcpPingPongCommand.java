package org.concurrencylab.cluster;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.cli.ProgressBar;
import org.concurrencylab.measure.Latencies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench tcp-pingpong}: the machine's limit for {@code bench cluster}. Plain blocking sockets, no framework:
 * {@code --serve} runs the pong side (each connection: read a frame, write it back), the client sends frames of
 * the bus benchmark's size with 1 outstanding (a round trip each: the loopback's latency floor) or N outstanding
 * (a writer thread keeps N in flight, writing every free slot at once; a reader thread takes the replies: what
 * one connection carries). The pong side writes the replies to frames that arrived together in one write. The
 * event bus does the same work plus encoding, routing and its own framing, so its rate is measured against this.
 */
@Command(name = "tcp-pingpong", mixinStandardHelpOptions = true,
  description = {"Plain TCP ping-pong between two processes: the limit bench cluster is compared with.",
    "Start the pong side with --serve, then the client with the same --port."})
public final class TcpPingPongCommand implements Callable<Integer> {

  @Option(names = "--serve", description = "Run the pong side (until killed) instead of the client.")
  boolean serve;

  @Option(names = "--host", description = "Address to bind (--serve) or connect to (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", required = true, description = "Port of the pong side.")
  int port;

  @Option(names = "--outstanding", description = "Frames in flight (default: ${DEFAULT-VALUE}).")
  int outstanding = 1;

  @Option(names = "--size", description = "Bytes of each frame's body (default: ${DEFAULT-VALUE}, about a "
    + "bench cluster message).")
  int size = 120;

  @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double duration = 10;

  @Option(names = "--warmup", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
  double warmup = 3;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65_535 || outstanding < 1 || size < 1 || size > 1 << 20 || duration <= 0 || warmup < 0) {
      System.err.println("error: need 0 <= --port <= 65535, --outstanding >= 1, 1 <= --size <= 1 MiB, "
        + "--duration > 0, --warmup >= 0");
      return 2;
    }
    if (serve) {
      serve();
      return 0;
    }
    return run();
  }

  /** The pong side: one thread per connection, echoing frames (4-byte length, then the body). */
  private void serve() throws IOException {
    try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName(host))) {
      out.println("tcp-pingpong: serving on " + host + ":" + server.getLocalPort());
      out.flush();
      while (true) {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        Thread pong = new Thread(() -> pong(socket), "pong-" + socket.getPort());
        pong.setDaemon(true);
        pong.start();
      }
    }
  }

  private static void pong(Socket socket) {
    try (socket; DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
         DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16))) {
      byte[] body = new byte[1 << 20];
      while (true) {
        int length = in.readInt();
        if (length < 0 || length > body.length) {
          return;
        }
        in.readFully(body, 0, length);
        out.writeInt(length);
        out.write(body, 0, length);
        // Replies to the frames that arrived together leave together: one write per batch, as Netty flushes.
        if (in.available() == 0) {
          out.flush();
        }
      }
    } catch (EOFException e) {
      // The client is done.
    } catch (IOException e) {
      System.err.println("tcp-pingpong: connection ended: " + e.getMessage());
    }
  }

  private int run() throws Exception {
    try (Socket socket = new Socket(host, port)) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000); // a pong side that stops answering fails the run instead of hanging it
      Latencies latencies = new Latencies();
      AtomicLong counted = new AtomicLong();
      long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
      long end = warmupEnd + (long) (duration * 1e9);
      ProgressBar progress = new ProgressBar(out, System.console() != null, 1_000);
      Thread ticker = new Thread(() -> {
        try {
          while (true) {
            Thread.sleep(1_000);
            long now = System.nanoTime();
            double measured = Math.max(1e-3, (now - warmupEnd) / 1e9);
            progress.update(counted.get(), 0, counted.get() / measured,
              now < warmupEnd ? "warming up" : String.format(Locale.ROOT, "%.0f/%.0f s", measured, duration));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "progress");
      ticker.setDaemon(true);
      ticker.start();
      try {
        if (outstanding == 1) {
          roundTrips(socket, warmupEnd, end, latencies, counted);
        } else {
          pipelined(socket, warmupEnd, end, latencies, counted);
        }
      } finally {
        ticker.interrupt();
        progress.finish();
      }
      double seconds = duration;
      double perSecond = counted.get() / seconds;
      out.printf(Locale.ROOT, "tcp-pingpong: %s:%d, %d outstanding, %d-byte frames, %.1f s measured%n",
        host, port, outstanding, size, seconds);
      out.printf(Locale.ROOT, "  %-16s %12d%n", "round trips", counted.get());
      out.printf(Locale.ROOT, "  %-16s %12.1f%n", "round trips/s", perSecond);
      out.printf(Locale.ROOT, "  %-16s %12.3f ms%n", "latency p50", latencies.percentileMillis(50));
      out.printf(Locale.ROOT, "  %-16s %12.3f ms%n", "latency p99", latencies.percentileMillis(99));
      out.println(new JsonObject()
        .put("bench", "tcp-pingpong")
        .put("outstanding", outstanding)
        .put("size", size)
        .put("seconds", seconds)
        .put("messages", counted.get())
        .put("per_s", Math.round(perSecond * 10) / 10.0)
        .put("p50_ms", Math.round(latencies.percentileMillis(50) * 1000) / 1000.0)
        .put("p99_ms", Math.round(latencies.percentileMillis(99) * 1000) / 1000.0)
        .encode());
      out.flush();
      return 0;
    }
  }

  /** One frame in flight: write, read the reply, again. */
  private void roundTrips(Socket socket, long warmupEnd, long end, Latencies latencies, AtomicLong counted)
    throws IOException {
    DataInputStream in = new DataInputStream(socket.getInputStream());
    OutputStream raw = socket.getOutputStream();
    byte[] frame = frame();
    byte[] reply = new byte[size];
    long now = System.nanoTime();
    while (now < end) {
      long sent = now;
      raw.write(frame);
      if (in.readInt() != size) {
        throw new IOException("the pong side sent a frame of the wrong length");
      }
      in.readFully(reply);
      now = System.nanoTime();
      if (sent >= warmupEnd) {
        latencies.recordNanos(now - sent);
        counted.incrementAndGet();
      }
    }
  }

  /**
   * {@code outstanding} frames in flight: this thread writes while it holds a permit, a reader thread takes the
   * replies in order (TCP keeps it) and gives the permits back. The send times travel in a queue beside them.
   */
  private void pipelined(Socket socket, long warmupEnd, long end, Latencies latencies, AtomicLong counted)
    throws Exception {
    Semaphore permits = new Semaphore(outstanding);
    BlockingQueue<Long> sentAt = new ArrayBlockingQueue<>(outstanding);
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
    OutputStream outStream = socket.getOutputStream();
    Thread reader = new Thread(() -> {
      byte[] reply = new byte[size];
      try {
        while (true) {
          long sent = sentAt.take();
          if (sent < 0) {
            return;
          }
          in.readInt();
          in.readFully(reply);
          long now = System.nanoTime();
          if (sent >= warmupEnd && sent < end) {
            latencies.recordNanos(now - sent);
            counted.incrementAndGet();
          }
          permits.release();
        }
      } catch (IOException | InterruptedException e) {
        System.err.println("tcp-pingpong: reader stopped: " + e.getMessage());
      }
    }, "ping-reader");
    reader.start();
    byte[] frame = frame();
    byte[] batch = new byte[frame.length * outstanding];
    while (System.nanoTime() < end) {
      if (!permits.tryAcquire(1, TimeUnit.SECONDS)) {
        break;
      }
      // Every free slot at once, in one write: what a pipelining client does with a socket.
      int frames = 1 + permits.drainPermits();
      long now = System.nanoTime();
      for (int i = 0; i < frames; i++) {
        System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
        sentAt.put(now);
      }
      outStream.write(batch, 0, frames * frame.length);
    }
    // Every reply in (or the reader gone): a dead pong side must not hang the client.
    if (!permits.tryAcquire(outstanding, 10, TimeUnit.SECONDS)) {
      reader.interrupt();
      throw new IOException("the pong side stopped answering");
    }
    sentAt.put(-1L);
    reader.join(10_000);
  }

  private byte[] frame() {
    byte[] frame = new byte[4 + size];
    frame[0] = (byte) (size >>> 24);
    frame[1] = (byte) (size >>> 16);
    frame[2] = (byte) (size >>> 8);
    frame[3] = (byte) size;
    for (int i = 4; i < frame.length; i++) {
      frame[i] = 'x';
    }
    return frame;
  }
}
