package org.concurrencylab.chat;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Splits what a TCP socket reads into lines ({@code \n}-terminated) and hands each to a {@link LineHandler} as a
 * range of one array, without copying or allocating per line. Vert.x's {@code RecordParser} copies every line
 * into a Buffer of its own (twice, in fact); at a chat server's rate of short lines that was half of the event
 * loop's time. A chunk is copied once into a reusable array, and the lines are read where they lie.
 *
 * <p>An unfinished line waits for the next chunk; one longer than {@code maxLength} without a newline is
 * reported to the too-long handler, and the reader stops. {@link #pause()} from inside a line handler stops at
 * that line: the rest waits here, and the socket stops reading, until {@link #resume()}. Event-loop confined.
 */
final class LineReader implements Handler<Buffer> {

  /** One line: {@code bytes[from, to)}, without its newline. Valid during the call only. */
  @FunctionalInterface
  interface LineHandler {
    void line(byte[] bytes, int from, int to);
  }

  private final NetSocket socket;
  private final int maxLength;
  private final LineHandler lines;
  private final Runnable tooLong;
  /** {@code bytes[start, end)} is read and not yet handed out: an unfinished line, or lines held by a pause. */
  private byte[] bytes = new byte[1024];
  private int start;
  private int end;
  /** Where the search for the next newline resumes: {@code bytes[start, scanned)} has none. */
  private int scanned;
  private boolean paused;
  private boolean reading;
  private boolean stopped;

  LineReader(NetSocket socket, int maxLength, LineHandler lines, Runnable tooLong) {
    this.socket = socket;
    this.maxLength = maxLength;
    this.lines = lines;
    this.tooLong = tooLong;
  }

  /** Starts reading the socket. */
  LineReader start() {
    socket.handler(this);
    return this;
  }

  @Override
  public void handle(Buffer chunk) {
    if (stopped) {
      return;
    }
    int length = chunk.length();
    if (start == end) {
      start = 0;
      end = 0;
      scanned = 0;
    } else if (start > 0 && bytes.length - end < length) {
      // Keep the unfinished line, move it to the front.
      System.arraycopy(bytes, start, bytes, 0, end - start);
      end -= start;
      scanned -= start;
      start = 0;
    }
    if (bytes.length - end < length) {
      byte[] larger = new byte[Math.max(bytes.length * 2, end + length)];
      System.arraycopy(bytes, 0, larger, 0, end);
      bytes = larger;
    }
    chunk.getBytes(0, length, bytes, end);
    end += length;
    readLines();
  }

  /** Holds the lines after the current one (and stops the socket) until {@link #resume()}. */
  void pause() {
    if (!paused) {
      paused = true;
      socket.pause();
    }
  }

  /** Hands out the lines held since {@link #pause()}, then reads the socket again. */
  void resume() {
    if (paused && !stopped) {
      paused = false;
      readLines();
      if (!paused) {
        socket.resume();
      }
    }
  }

  private void readLines() {
    if (reading) {
      return; // resume() from inside a line handler: the loop below carries on
    }
    reading = true;
    try {
      while (!paused && !stopped) {
        int newline = indexOfNewline(scanned, end);
        if (newline < 0) {
          scanned = end;
          break;
        }
        int from = start;
        start = newline + 1;
        scanned = start;
        lines.line(bytes, from, newline);
      }
    } finally {
      reading = false;
    }
    if (!stopped && !paused && end - start > maxLength) {
      stopped = true;
      tooLong.run();
    }
  }

  private int indexOfNewline(int from, int to) {
    byte[] b = bytes;
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
