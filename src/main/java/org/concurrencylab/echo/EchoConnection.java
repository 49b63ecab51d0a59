package org.concurrencylab.echo;

import io.netty.buffer.ByteBuf;
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
 * <p>Why it is not {@code socket.handler(socket::write)}: that form copies every chunk twice (Netty's pooled
 * direct buffer into a fresh heap {@code Buffer} for the handler, then back into a direct buffer for the
 * write) and allocates the heap copy each time, which at 100 KiB messages costs more than the system calls.
 * Here Netty's own read buffer is handed back to the channel ({@link NetSocketInternal#writeMessage}), so
 * the bytes are never copied in user space and the buffer goes back to the pool once written.
 *
 * <p>Backpressure: once the writes waiting for the kernel pass the bound (the client reads slower than it
 * sends), the channel turns unwritable, Vert.x queues the next writes itself, and when that queue is full too
 * ({@link NetSocket#writeQueueFull()}, 16 writes) the socket stops reading until the queue drains; the kernel's
 * buffers then fill and TCP flow control slows the client. A connection's memory stays below the bound plus
 * 16 reads (Netty reads at most 64 KiB at a time): about 1.3 MiB, however much the client sends.
 *
 * <p>All of it runs on the connection's event loop; the counters in {@link EchoStats} are the only shared state.
 */
final class EchoConnection {

  private static final Logger log = LoggerFactory.getLogger(EchoConnection.class);

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
    // Like the Python peers, echo everything the client sent before its EOF, then close: without half-closure
    // Netty would close at once on EOF and drop the echo still queued.
    this.socket.channelHandlerContext().channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    this.socket.eventHandler(this::event);
    this.socket.messageHandler(this::received);
    socket.drainHandler(v -> resume());
    socket.exceptionHandler(this::broken);
    socket.closeHandler(v -> closed());
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
