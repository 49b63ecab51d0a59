package org.concurrencylab.echo.selector;

import org.concurrencylab.echo.BoomLine;
import org.concurrencylab.echo.EchoStats;
import org.concurrencylab.eventloop.ChannelHandler;
import org.concurrencylab.eventloop.SelectorLoop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One client of the selector echo: the protocol, with no loop code in it.
 *
 * <ul>
 *   <li>Readable: read into the shared buffer and write it straight back. What the socket does not take
 *       at once (a partial write) is copied to this connection's queue, and {@code OP_WRITE} is asked for.</li>
 *   <li>Writable: write from the queue; once it is empty, drop {@code OP_WRITE}.</li>
 *   <li>Backpressure: while more than {@link #MAX_QUEUED} bytes wait in the queue, drop {@code OP_READ} too, so
 *       the client's unread echo cannot grow our memory; TCP flow control then slows the client.</li>
 *   <li>EOF: echo what is still queued, then close.</li>
 *   <li>The line {@code boom} makes {@link #ready} throw: the loop logs it and closes this connection only.</li>
 * </ul>
 */
final class SelectorEchoConnection implements ChannelHandler {

  /** Bytes queued for a slow reader before we stop reading from it. */
  static final int MAX_QUEUED = 256 * 1024;

  private final SelectorLoop loop;
  private final EchoStats stats;
  private final ByteBuffer readBuffer;
  private final BoomLine boom = new BoomLine();
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private long queued;
  private boolean readingPaused;
  private boolean endOfInput;

  SelectorEchoConnection(SelectorLoop loop, EchoStats stats, ByteBuffer sharedReadBuffer) {
    this.loop = loop;
    this.stats = stats;
    this.readBuffer = sharedReadBuffer;
  }

  @Override
  public void ready(SelectionKey key) throws IOException {
    SocketChannel channel = (SocketChannel) key.channel();
    if (key.isWritable()) {
      writeQueued(key, channel);
    }
    if (key.isValid() && key.isReadable()) {
      read(key, channel);
    }
  }

  private void read(SelectionKey key, SocketChannel channel) throws IOException {
    ByteBuffer buffer = readBuffer.clear();
    int n = channel.read(buffer);
    if (n < 0) {
      endOfInput = true;
      if (queue.isEmpty()) {
        loop.close(key);
      } else {
        key.interestOps(SelectionKey.OP_WRITE); // finish the echo, then close
      }
      return;
    }
    buffer.flip();
    boom.scan(buffer);
    stats.echoed(n);
    if (queue.isEmpty()) {
      channel.write(buffer);
    }
    if (buffer.hasRemaining()) {
      enqueue(key, buffer);
    }
  }

  /** Keeps what the socket did not take (the shared buffer is reused by the next read). */
  private void enqueue(SelectionKey key, ByteBuffer rest) {
    int length = rest.remaining();
    queue.add(ByteBuffer.allocate(length).put(rest).flip());
    queued += length;
    stats.queued(length);
    int ops = SelectionKey.OP_WRITE | SelectionKey.OP_READ;
    if (queued > MAX_QUEUED) {
      ops = SelectionKey.OP_WRITE;
      if (!readingPaused) {
        readingPaused = true;
        stats.paused();
      }
    }
    key.interestOps(ops);
  }

  private void writeQueued(SelectionKey key, SocketChannel channel) throws IOException {
    ByteBuffer head;
    while ((head = queue.peek()) != null) {
      int written = channel.write(head);
      queued -= written;
      stats.queued(-written);
      if (head.hasRemaining()) {
        return; // the socket is full again: OP_WRITE stays on
      }
      queue.poll();
    }
    if (endOfInput) {
      loop.close(key);
      return;
    }
    if (readingPaused) {
      readingPaused = false;
      stats.resumed();
    }
    key.interestOps(SelectionKey.OP_READ);
  }

  @Override
  public void closed(SelectionKey key, Throwable cause) {
    stats.queued(-queued);
    queued = 0;
    queue.clear();
    if (readingPaused) {
      readingPaused = false;
      stats.resumed();
    }
    if (cause != null && !(cause instanceof IOException)) {
      stats.failed(); // the handling failed (the line boom), not the network
    }
    stats.closed();
  }
}
