package org.concurrencylab.echo;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the Vert.x echo: every chunk read is written straight back, with backpressure, and the line
 * {@code boom} fails this connection alone (the book's listing 3.10).
 *
 * <p>Vert.x accepts the connection, runs it on its event loop and closes it; the echo itself is a Netty
 * handler placed in the socket's pipeline just before Vert.x's own ({@link NetSocketInternal#channelHandlerContext}),
 * the one hook Vert.x offers for a protocol that wants Netty's buffers as they come. Why it is not
 * {@code socket.handler(socket::write)}, measured with 100 KiB messages and then per round trip:
 * <ul>
 *   <li>Copies: that form copies every chunk twice (Netty's pooled direct buffer into a fresh heap
 *       {@code Buffer} for the handler, then back into a direct buffer for the write) and allocates the heap
 *       copy each time. Here Netty's own read buffer is written back: the bytes are never copied in user
 *       space, and the buffer returns to the pool once written.</li>
 *   <li>Per read: Vert.x would hand each chunk through its inbound queue and its context's dispatch, and
 *       create a Vert.x {@code Future} per write; here a read is one call that scans it and writes it, and
 *       the whole batch of reads is flushed once ({@link #channelReadComplete}), as uvloop's protocol echo
 *       does with one {@code write} per {@code data_received}.</li>
 *   <li>Read sizes: Netty's default reads at most 64 KiB at a time, so a 100 KiB message always took two
 *       reads or more; reading up to 128 KiB lets it arrive in one when it is all there.</li>
 *   <li>Read buffers: from Netty's classic pool rather than its default allocator, which kept mapping and
 *       zeroing fresh memory at these sizes (see {@link #POOL}).</li>
 *   <li>Kept as they were: TCP_NODELAY on (set by the server) and the kernel's own socket buffer sizing
 *       (setting SO_RCVBUF or SO_SNDBUF would turn its autotuning off).</li>
 * </ul>
 *
 * <p>Backpressure: once the bytes waiting for the kernel pass the high water mark (the client reads slower
 * than it sends), the channel turns unwritable and the connection stops reading ({@code autoRead} off) until
 * all of them have gone to the kernel; the kernel's buffers then fill and TCP flow control slows the client. A
 * connection's memory stays below the high mark plus one read of at most {@link #MAX_READ}: 640 KiB at worst,
 * however much the client sends. (A high mark of 128 KiB made a client that does not read flap between paused
 * and reading while the kernel's autotuned buffers still grew; at 512 KiB a pause means the kernel is full.)
 *
 * <p>Since the bytes never reach Vert.x, its TCP meters count the echo's connections but not its bytes;
 * {@link EchoStats} ({@code echo.stats}, {@code lab_echo_bytes_total}) counts those.
 *
 * <p>All of it runs on the connection's event loop; the counters in {@link EchoStats} are the only shared state.
 */
final class EchoConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(EchoConnection.class);
  static final int MIN_READ = 512;
  static final int INITIAL_READ = 16 * 1024;
  static final int MAX_READ = 128 * 1024;

  /**
   * Where read buffers come from. Netty 4.2's default (adaptive) allocator kept taking fresh direct memory for
   * reads of 128 KiB and more: 0.27 page faults per 100 KiB round trip, and the JVM zeroing each new chunk showed
   * in the profile. The classic pooled allocator keeps its chunks: 0.02 page faults per round trip.
   */
  static final PooledByteBufAllocator POOL = PooledByteBufAllocator.DEFAULT;

  private final NetSocketInternal socket;
  private final EchoStats stats;
  private final BoomLine boom = new BoomLine();
  private boolean paused;
  private boolean failed;

  private EchoConnection(NetSocketInternal socket, EchoStats stats) {
    this.socket = socket;
    this.stats = stats;
  }

  /**
   * Serves an accepted socket: tunes its channel and puts the echo in its pipeline. On the socket's event
   * loop, before its first read (as Vert.x calls a server's connect handler).
   *
   * @param writeQueueMaxSize bytes the connection may have waiting for the kernel before it stops reading
   */
  static void serve(NetSocket accepted, EchoStats stats, int writeQueueMaxSize) {
    NetSocketInternal socket = (NetSocketInternal) accepted;
    EchoConnection connection = new EchoConnection(socket, stats);
    stats.opened();
    ChannelHandlerContext vertx = socket.channelHandlerContext();
    ChannelConfig channel = vertx.channel().config();
    // Reads sized to what arrives, up to 128 KiB: a 100 KiB message takes one read instead of two or more at
    // Netty's default cap of 64 KiB, and a 1 KiB one still gets a small buffer.
    channel.setRecvByteBufAllocator(readSizes());
    channel.setAllocator(POOL);
    // Writable again only once every queued byte went to the kernel (a low mark of 1 byte), as the selector echo
    // resumes: a client that really stopped reading keeps its connection paused instead of flapping.
    channel.setWriteBufferWaterMark(new WriteBufferWaterMark(1, writeQueueMaxSize));
    // Like the Python peers, echo everything the client sent before its EOF, then close: without half-closure
    // Netty would close at once on EOF and drop the echo still queued.
    channel.setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    vertx.pipeline().addBefore(vertx.name(), "echo", connection);
    socket.exceptionHandler(connection::broken);
    socket.closeHandler(v -> connection.closed());
  }

  /** Netty's read sizing for echo traffic: adapts to what arrives, from 512 bytes up to 128 KiB. */
  static AdaptiveRecvByteBufAllocator readSizes() {
    return new AdaptiveRecvByteBufAllocator(MIN_READ, INITIAL_READ, MAX_READ);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (!(message instanceof ByteBuf chunk)) {
      ctx.fireChannelRead(message); // not bytes: Vert.x's business (it releases what it does not handle)
      return;
    }
    if (failed) {
      chunk.release(); // read in the same batch as the fault, after it: the connection is closing
      return;
    }
    int length = chunk.readableBytes();
    try {
      boom.scan(chunk);
    } catch (RuntimeException fault) {
      chunk.release();
      fail(ctx, fault);
      return;
    }
    stats.echoed(length);
    stats.queued(length);
    // Flushed once for the whole batch of reads, in channelReadComplete.
    ctx.write(chunk).addListener(written -> stats.queued(-length)); // also on failure: the bytes are gone
    if (!paused && !ctx.channel().isWritable()) {
      paused = true;
      stats.paused();
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (paused && ctx.channel().isWritable()) {
      paused = false;
      stats.resumed();
      ctx.channel().config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      // The client sent EOF: flush what is queued, then close (the book's server closes on EOF too).
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  /** The book's {@code except Exception: logging.exception(...)} then {@code finally: connection.close()}. */
  private void fail(ChannelHandlerContext ctx, RuntimeException fault) {
    failed = true;
    stats.failed();
    log.warn("echo connection from {} failed; closing it, the other connections go on", socket.remoteAddress(), fault);
    ctx.close();
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
