package org.concurrencylab.queue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * One keep-alive HTTP/1.1 connection of {@code bench orders}: sends a request, reads its answer, sends the
 * next, until the shared count reaches the total. It reads what a load client needs and no more: the status
 * code, then {@code Content-Length} bytes of body (both the lab and aiohttp send it; a chunked answer is
 * counted as a failure, never misread). A connection the server closes, or an answer later than
 * {@link #TIMEOUT_MS}, counts as status -1 and the connection is opened again. All of a run's connections
 * live on one event loop, which is also where their {@link Answered} callback runs.
 */
final class PostConnection {

  /** Reports one answer: its status (-1: none) and when its request was sent ({@link System#nanoTime()}). */
  interface Answered {
    void answered(int status, long sentNanos);
  }

  static final long TIMEOUT_MS = 30_000;
  private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final Vertx vertx;
  private final NetClient client;
  private final URI base;
  private final long total;
  private final AtomicLong sent;
  private final LongFunction<Buffer> requestFor;
  private final Answered answered;
  private NetSocket socket;
  private Buffer received = Buffer.buffer();
  private long sentNanos;
  private boolean inFlight;

  PostConnection(Vertx vertx, NetClient client, URI base, long total, AtomicLong sent, LongFunction<Buffer> requestFor,
                 Answered answered) {
    this.vertx = vertx;
    this.client = client;
    this.base = base;
    this.total = total;
    this.sent = sent;
    this.requestFor = requestFor;
    this.answered = answered;
  }

  void connect() {
    client.connect(base.getPort(), base.getHost()).onComplete(connected -> {
      if (connected.failed()) {
        // Nothing was sent on it: count one request as failed, or the run would never end.
        long number = sent.getAndIncrement();
        if (number < total) {
          answered.answered(-1, System.nanoTime());
          vertx.setTimer(100, id -> connect());
        }
        return;
      }
      socket = connected.result();
      socket.handler(this::read);
      socket.closeHandler(v -> {
        socket = null;
        if (inFlight) {
          fail();
          connect();
        }
      });
      sendNext();
    });
  }

  private void sendNext() {
    long number = sent.getAndIncrement();
    if (number >= total) {
      socket.close();
      return;
    }
    inFlight = true;
    sentNanos = System.nanoTime();
    socket.write(requestFor.apply(number));
  }

  /**
   * Called now and then by the owner (one periodic timer for all connections, not a timer per request): an
   * answer later than {@link #TIMEOUT_MS} counts as failed and the connection is opened again.
   */
  void checkTimeout(long nowNanos) {
    if (inFlight && socket != null && nowNanos - sentNanos > TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS)) {
      NetSocket late = socket;
      socket = null;
      fail();
      late.closeHandler(null);
      late.close();
      connect();
    }
  }

  private void fail() {
    inFlight = false;
    received = Buffer.buffer();
    answered.answered(-1, sentNanos);
  }

  private void read(Buffer chunk) {
    received.appendBuffer(chunk);
    int headerEnd = indexOfHeaderEnd(received);
    if (headerEnd < 0) {
      return;
    }
    int length = contentLength(received, headerEnd);
    if (length < 0 || received.length() < headerEnd + length) {
      if (length < 0) { // no Content-Length: not an answer this client can delimit
        fail();
        socket.close();
      }
      return;
    }
    int status = status(received);
    int rest = received.length() - headerEnd - length;
    received = rest == 0 ? Buffer.buffer() : received.getBuffer(headerEnd + length, received.length());
    inFlight = false;
    answered.answered(status, sentNanos);
    sendNext();
  }

  /** The index just past the blank line that ends the headers, or -1. */
  private static int indexOfHeaderEnd(Buffer buffer) {
    for (int i = 3; i < buffer.length(); i++) {
      if (buffer.getByte(i) == '\n' && buffer.getByte(i - 1) == '\r' && buffer.getByte(i - 2) == '\n'
        && buffer.getByte(i - 3) == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  /** {@code HTTP/1.1 202 Accepted}: the three digits after the first space. */
  private static int status(Buffer buffer) {
    int space = 0;
    while (buffer.getByte(space) != ' ') {
      space++;
    }
    return (buffer.getByte(space + 1) - '0') * 100 + (buffer.getByte(space + 2) - '0') * 10 + buffer.getByte(space + 3) - '0';
  }

  /** The Content-Length header's value (case-insensitive name), or -1 when there is none. */
  private static int contentLength(Buffer buffer, int headerEnd) {
    for (int line = 0; line < headerEnd; ) {
      if (matchesIgnoreCase(buffer, line, CONTENT_LENGTH)) {
        int i = line + CONTENT_LENGTH.length;
        while (buffer.getByte(i) == ' ') {
          i++;
        }
        int value = 0;
        for (byte b; (b = buffer.getByte(i)) >= '0' && b <= '9'; i++) {
          value = value * 10 + (b - '0');
        }
        return value;
      }
      while (line < headerEnd && buffer.getByte(line) != '\n') {
        line++;
      }
      line++;
    }
    return -1;
  }

  private static boolean matchesIgnoreCase(Buffer buffer, int at, byte[] lowerCase) {
    if (at + lowerCase.length > buffer.length()) {
      return false;
    }
    for (int i = 0; i < lowerCase.length; i++) {
      byte b = buffer.getByte(at + i);
      if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerCase[i]) {
        return false;
      }
    }
    return true;
  }
}
