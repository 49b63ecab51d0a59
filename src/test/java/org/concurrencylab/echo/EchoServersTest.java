package org.concurrencylab.echo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concurrencylab.echo.EchoLab.connect;
import static org.concurrencylab.echo.EchoLab.readExactly;
import static org.concurrencylab.echo.EchoLab.roundTrip;

/**
 * What a client of either echo server sees: its exact bytes back, whatever they are and however many clients
 * there are, and a server that survives bad clients. Each test runs against the Vert.x echo ({@code tcp}) and
 * the selector echo ({@code selector}), both deployed once for the class as the lab deploys them.
 */
class EchoServersTest {

  private static EchoLab lab;

  @BeforeAll
  static void start() {
    lab = EchoLab.start();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void manyClientsAtOnceEachGetTheirOwnBytesBack(String server) throws Exception {
    int port = lab.port(server);
    ExecutorService clients = Executors.newFixedThreadPool(40);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        byte[] payload = randomBytes(i, 48 * 1024 + i * 997); // odd sizes, all different
        results.add(clients.submit(() -> java.util.Arrays.equals(roundTrip(port, payload), payload)));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void binaryGarbageComesBackByteForByte(String server) {
    byte[] garbage = randomBytes(7, 300_000);
    for (int i = 0; i < 256; i++) {
      garbage[i] = (byte) i; // every byte value, NUL, CR and LF included
    }
    assertThat(roundTrip(lab.port(server), garbage)).isEqualTo(garbage);
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void aTenMebibyteBurstComesBackExactly(String server) {
    byte[] burst = randomBytes(10, 10 * 1024 * 1024);
    assertThat(roundTrip(lab.port(server), burst)).isEqualTo(burst);
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void whatWasSentBeforeEndOfInputIsEchoedBeforeTheServerCloses(String server) throws IOException {
    byte[] payload = randomBytes(11, 2 * 1024 * 1024);
    try (Socket socket = connect(lab.port(server))) {
      Thread writer = new Thread(() -> {
        try {
          socket.getOutputStream().write(payload);
          socket.shutdownOutput(); // EOF right behind the data
        } catch (IOException ignored) {
          // the assertion below reports what is missing
        }
      });
      writer.start();
      assertThat(readExactly(socket.getInputStream(), payload.length)).isEqualTo(payload);
      assertThat(socket.getInputStream().read()).as("the server closes after the echo").isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void theLineBoomClosesThatConnectionOnlyAndIsLogged(String server) throws IOException {
    int port = lab.port(server);
    long failedBefore = lab.stat(server, "failed_connections");
    ListAppender<ILoggingEvent> log = captureWarnings();
    try (Socket bystander = connect(port); Socket faulty = connect(port)) {
      assertThat(roundTrip(bystander, line("before"))).isEqualTo(line("before"));
      assertThat(roundTrip(faulty, line("all good"))).isEqualTo(line("all good"));

      faulty.getOutputStream().write("bo".getBytes(StandardCharsets.US_ASCII));
      faulty.getOutputStream().flush();
      faulty.getOutputStream().write("om\r\n".getBytes(StandardCharsets.US_ASCII)); // split across writes

      // "bo" may be echoed before the rest of the line arrives; then the connection closes.
      assertThat(new String(EchoLab.readUntilClosed(faulty), StandardCharsets.US_ASCII)).isIn("", "bo");
      assertThat(roundTrip(bystander, line("after"))).isEqualTo(line("after"));
      assertThat(lab.stat(server, "failed_connections")).isEqualTo(failedBefore + 1);
      assertThat(log.list).anyMatch(event -> event.getLevel() == Level.WARN && event.getThrowableProxy() != null
        && event.getThrowableProxy().getMessage().contains("Unexpected network error"));
    } finally {
      stopCapturing(log);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void boomInsideALineIsJustData(String server) {
    byte[] data = "boomer\nka-boom\nboom \n boom\nboo\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(roundTrip(lab.port(server), data)).isEqualTo(data);
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void anIdleClientDoesNotHoldUpTheOthers(String server) throws IOException {
    int port = lab.port(server);
    try (Socket idle = connect(port)) {
      for (int i = 0; i < 3; i++) {
        assertThat(roundTrip(port, line("busy " + i))).isEqualTo(line("busy " + i));
      }
      assertThat(roundTrip(idle, line("late but fine"))).isEqualTo(line("late but fine"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void aClientThatNeverReadsIsPausedAndTheServersQueueStaysBounded(String server) throws Exception {
    int port = lab.port(server);
    long limit = 64L * 1024 * 1024; // what the client tries to push without reading a byte
    try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
      client.configureBlocking(false);
      ByteBuffer chunk = ByteBuffer.allocateDirect(1024 * 1024);
      long[] sent = {0};
      // Push until the server says it stopped reading this client; each write takes what the kernel accepts.
      org.concurrencylab.testsupport.Await.until(() -> {
        sent[0] += writeSome(client, chunk, sent[0], limit);
        return lab.stat(server, "paused_connections") == 1 || sent[0] >= limit;
      }, Duration.ofSeconds(60), "the server paused the client that does not read");

      assertThat(sent[0]).as("the client could not push everything: the server stopped reading").isLessThan(limit);
      assertThat(lab.stat(server, "paused_connections")).isEqualTo(1);
      // Vert.x: its write bound + the read that crossed it; selector: 256 KiB + one read.
      long bound = server.equals(EchoLab.TCP)
        ? EchoServerVerticle.WRITE_QUEUE_MAX_SIZE + EchoConnection.MAX_READ
        : 2 * 256 * 1024;
      assertThat(lab.stat(server, "queued_bytes")).as("bytes waiting in the server for this client")
        .isPositive().isLessThanOrEqualTo(bound);

      // Now the client reads: everything it sent comes back, in order, and the server resumes.
      client.configureBlocking(true);
      ByteBuffer in = ByteBuffer.allocate(256 * 1024);
      long received = 0;
      while (received < sent[0]) {
        in.clear();
        int n = client.read(in);
        assertThat(n).as("echo ended early").isPositive();
        for (int i = 0; i < n; i++) {
          assertThat(in.get(i)).isEqualTo(pattern(received + i));
        }
        received += n;
      }
      org.concurrencylab.testsupport.Await.until(() -> lab.stat(server, "paused_connections") == 0
        && lab.stat(server, "queued_bytes") == 0, Duration.ofSeconds(10), "the server resumed reading");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void aClientThatDisconnectsMidWriteLeavesTheServerServing(String server) throws IOException {
    int port = lab.port(server);
    awaitNoOpenConnections(server, "the connections of the tests before closed");
    for (int i = 0; i < 3; i++) {
      try (SocketChannel rude = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
        rude.configureBlocking(false);
        ByteBuffer data = ByteBuffer.wrap(randomBytes(i, 4 * 1024 * 1024));
        while (data.hasRemaining() && rude.write(data) > 0) {
          // push what the kernel takes now, never wait for it
        }
        rude.setOption(java.net.StandardSocketOptions.SO_LINGER, 0); // reset, with the echo still flowing back
      }
    }
    assertThat(roundTrip(port, line("still serving"))).isEqualTo(line("still serving"));
    awaitNoOpenConnections(server, "the server let go of the rude clients");
  }

  @ParameterizedTest
  @ValueSource(strings = {EchoLab.TCP, EchoLab.SELECTOR})
  void fiveHundredConnectionsOpenedAndDroppedAtOnce(String server) throws IOException {
    int port = lab.port(server);
    awaitNoOpenConnections(server, "the connections of the tests before closed");
    List<SocketChannel> crowd = new ArrayList<>();
    try {
      for (int i = 0; i < 500; i++) {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.connect(new InetSocketAddress("127.0.0.1", port)); // all in flight at once
        crowd.add(channel);
      }
      for (SocketChannel channel : crowd) {
        channel.configureBlocking(true);
        channel.finishConnect();
      }
    } finally {
      for (int i = 0; i < crowd.size(); i++) {
        if (i % 2 == 0) {
          crowd.get(i).setOption(java.net.StandardSocketOptions.SO_LINGER, 0); // half reset, half FIN
        }
        crowd.get(i).close();
      }
    }
    assertThat(roundTrip(port, line("after the crowd"))).isEqualTo(line("after the crowd"));
    awaitNoOpenConnections(server, "the server closed all 500 dropped connections");
  }

  // ---- helpers ----

  /**
   * Waits until the server holds no connection. Every test closes its sockets, but the server sees a close on
   * its own event loop, later: a count read at once can still include the last test's connection, and a wait
   * for that count again could miss it as the count passed by.
   */
  private static void awaitNoOpenConnections(String server, String what) {
    org.concurrencylab.testsupport.Await.until(() -> lab.stat(server, "open_connections") == 0,
      Duration.ofSeconds(20), what);
  }

  /** Writes the next bytes of the endless {@link #pattern} stream; returns how many the kernel took. */
  private static int writeSome(SocketChannel client, ByteBuffer chunk, long offset, long limit) {
    try {
      chunk.clear();
      int size = (int) Math.min(chunk.capacity(), limit - offset);
      for (int i = 0; i < size; i++) {
        chunk.put(pattern(offset + i));
      }
      chunk.flip();
      return client.write(chunk);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Byte {@code i} of a stream with no newline in it, so it can never read as "boom". */
  private static byte pattern(long i) {
    return (byte) ('A' + (i * 7 + i / 4096) % 26);
  }

  private static byte[] line(String text) {
    return (text + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] randomBytes(long seed, int size) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** The echo's loggers, and the shared event loop's, which logs what fails in a selector-echo handler. */
  private static final List<String> LOGGERS = List.of("org.concurrencylab.echo", "org.concurrencylab.eventloop");

  private static ListAppender<ILoggingEvent> captureWarnings() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(((Logger) LoggerFactory.getLogger(LOGGERS.get(0))).getLoggerContext());
    appender.start();
    LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).addAppender(appender));
    return appender;
  }

  private static void stopCapturing(ListAppender<ILoggingEvent> appender) {
    LOGGERS.forEach(name -> ((Logger) LoggerFactory.getLogger(name)).detachAppender(appender));
    appender.stop();
  }
}
