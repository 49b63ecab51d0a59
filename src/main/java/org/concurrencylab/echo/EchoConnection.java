package org.concurrencylab.echo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the Vert.x echo: every chunk read is written straight back, with backpressure, and the line
 * {@code boom} fails this connection alone (the book's listing 3.10).
 *
 * <p>Why it is not {@code socket.handler(socket::write)}, measured with 100 KiB messages:
 * <ul>
 *   <li>Copies: that form copies every chunk twice (Netty's pooled direct buffer into a fresh heap
 *       {@code Buffer} for the handler, then back into a direct buffer for the write) and allocates the heap
 *       copy each time. Here Netty's own read buffer is handed back to the channel
 *       ({@link NetSocketInternal#writeMessage}): the bytes are never copied in user space, and the buffer
 *       returns to the pool once written.</li>
 *   <li>Read sizes: Netty's default reads at most 64 KiB at a time, so a 100 KiB message always took two
 *       reads or more; reading up to 128 KiB lets it arrive in one when it is all there.</li>
 *   <li>Read buffers: from Netty's classic pool rather than its default allocator, which kept mapping and
 *       zeroing fresh memory at these sizes (see {@link #POOL}).</li>
 *   <li>Kept as they were: TCP_NODELAY on (set by the server), writes flushed once per read batch (Vert.x
 *       does that on its event loop), and the kernel's own socket buffer sizing (setting SO_RCVBUF or
 *       SO_SNDBUF would turn its autotuning off).</li>
 * </ul>
 *
 * <p>Backpressure: once the writes waiting for the kernel pass the bound (the client reads slower than it
 * sends), the channel turns unwritable, Vert.x queues the next writes itself, and when that queue is full too
 * ({@link NetSocket#writeQueueFull()}, 16 writes) the socket stops reading until the queue drains; the kernel's
 * buffers then fill and TCP flow control slows the client. A connection's memory stays below the bound plus
 * 16 reads of at most {@link #MAX_READ}: about 2.1 MiB at worst, however much the client sends.
 *
 * <p>All of it runs on the connection's event loop; the counters in {@link EchoStats} are the only shared state.
 */
final class EchoConnection {

  private static final Logger log = LoggerFactory.getLogger(EchoConnection.class);
  static final int MIN_READ = 512;
  static final int INITIAL_READ = 16 * 1024;
  static final int MAX_READ = 128 * 1024;

  private final NetSocketInternal socket;
  private final EchoStats stats;
  private final BoomLine boom = new BoomLine();
  private boolean paused;
  private boolean failed;

  EchoConnection(NetSocket socket, EchoStats stats, int writeQueueMaxSize) {
    this.socket = (NetSocketInternal) socket;
    this.stats = stats;
    stats.opened();
    socket.setWriteQueueMaxSize(writeQueueMaxSize);
    ChannelConfig channel = this.socket.channelHandlerContext().channel().config();
    // Reads sized to what arrives, up to 128 KiB: a 100 KiB message takes one read instead of two or more at
    // Netty's default cap of 64 KiB, and a 1 KiB one still gets a small buffer.
    channel.setRecvByteBufAllocator(readSizes());
    channel.setAllocator(POOL);
    // Like the Python peers, echo everything the client sent before its EOF, then close: without half-closure
    // Netty would close at once on EOF and drop the echo still queued.
    channel.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    this.socket.eventHandler(this::event);
    this.socket.messageHandler(this::received);
    socket.drainHandler(v -> resume());
    socket.exceptionHandler(this::broken);
    socket.closeHandler(v -> closed());
  }

  /**
   * Where read buffers come from. Netty 4.2's default (adaptive) allocator kept taking fresh direct memory for
   * reads of 128 KiB and more: 0.27 page faults per 100 KiB round trip, and the JVM zeroing each new chunk showed
   * in the profile. The classic pooled allocator keeps its chunks: 0.02 page faults per round trip.
   */
  static final PooledByteBufAllocator POOL = PooledByteBufAllocator.DEFAULT;

  /** Netty's read sizing for echo traffic: adapts to what arrives, from 512 bytes up to 128 KiB. */
  static AdaptiveRecvByteBufAllocator readSizes() {
    return new AdaptiveRecvByteBufAllocator(MIN_READ, INITIAL_READ, MAX_READ);
  }

  private void received(Object message) {
    if (!(message instanceof ByteBuf chunk)) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (failed) {
      chunk.release(); // read in the same batch as the fault, after it: the connection is closing
      return;
    }
    int length = chunk.readableBytes();
    try {
      boom.scan(chunk.nioBuffer());
    } catch (RuntimeException fault) {
      chunk.release();
      fail(fault);
      return;
    }
    stats.echoed(length);
    stats.queued(length);
    socket.writeMessage(chunk).onComplete(written -> stats.queued(-length)); // also on failure: the bytes are gone
    if (socket.writeQueueFull() && !paused) {
      paused = true;
      stats.paused();
      socket.pause();
    }
  }

  private void event(Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      socket.end(); // flushes what is queued, then closes
    } else {
      ReferenceCountUtil.release(event);
    }
  }

  private void resume() {
    if (paused) {
      paused = false;
      stats.resumed();
      socket.resume();
    }
  }

  /** The book's {@code except Exception: logging.exception(...)} then {@code finally: connection.close()}. */
  private void fail(RuntimeException fault) {
    failed = true;
    stats.failed();
    log.warn("echo connection from {} failed; closing it, the other connections go on", socket.remoteAddress(), fault);
    socket.close();
  }

  private void broken(Throwable cause) {
    // A client that resets mid-write is routine for an echo server: not worth more than a debug line.
    log.debug("echo connection from {}: {}", socket.remoteAddress(), cause.toString());
  }

  private void closed() {
    if (paused) {
      paused = false;
      stats.resumed();
    }
    stats.closed();
  }
}
