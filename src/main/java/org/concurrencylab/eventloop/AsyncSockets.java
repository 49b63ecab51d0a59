package org.concurrencylab.eventloop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Sockets as futures on a {@link SelectorLoop}: the book's {@code loop.sock_accept} and {@code loop.sock_recv}
 * (14.12) and asyncio's {@code sock_sendall}. Each operation is tried at once; only when the socket is not
 * ready does it wait for the selector, and it stops waiting when its future is cancelled. One read and one
 * write may wait per socket at a time. On the loop's thread.
 */
public final class AsyncSockets {

  private final SelectorLoop loop;

  public AsyncSockets(SelectorLoop loop) {
    this.loop = loop;
  }

  /** The next client of a listening socket (made non-blocking). */
  public LoopFuture<SocketChannel> accept(ServerSocketChannel server) {
    return waiter(server).read(() -> {
      SocketChannel client = server.accept();
      if (client != null) {
        client.configureBlocking(false);
      }
      return client;
    });
  }

  /** Reads what is there into {@code buffer}: the number of bytes, at least one, or -1 at the end of the stream. */
  public LoopFuture<Integer> read(SocketChannel channel, ByteBuffer buffer) {
    return waiter(channel).read(() -> {
      int n = channel.read(buffer);
      return n == 0 ? null : n;
    });
  }

  /** Writes all of {@code buffer}, waiting for the socket as often as it is full. */
  public LoopFuture<Void> writeAll(SocketChannel channel, ByteBuffer buffer) {
    return waiter(channel).write(() -> {
      channel.write(buffer);
      return buffer.hasRemaining() ? null : Boolean.TRUE;
    }).map(done -> null);
  }

  /** Closes a socket; what waits on it fails with {@link ClosedChannelException}. */
  public void close(SelectableChannel channel) {
    SelectionKey key = channel.keyFor(loop.selector());
    if (key != null) {
      loop.close(key);
    } else {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing: nothing more to do
      }
    }
  }

  /** An attempt at an operation: its result, or null when the socket is not ready yet. */
  private interface Attempt<T> {
    T tryNow() throws IOException;
  }

  private Waiter waiter(SelectableChannel channel) {
    SelectionKey key = channel.keyFor(loop.selector());
    if (key != null) {
      return (Waiter) key.attachment();
    }
    Waiter waiter = new Waiter(channel);
    try {
      waiter.key = loop.register(channel, 0, waiter);
    } catch (IOException e) {
      waiter.broken = e;
    }
    return waiter;
  }

  /** The futures waiting on one socket, and the selector interest they need. */
  private final class Waiter implements ChannelHandler {
    private final SelectableChannel channel;
    private SelectionKey key;
    private IOException broken;
    private Pending<?> reading;
    private Pending<?> writing;

    Waiter(SelectableChannel channel) {
      this.channel = channel;
    }

    <T> LoopFuture<T> read(Attempt<T> attempt) {
      return await(attempt, false);
    }

    <T> LoopFuture<T> write(Attempt<T> attempt) {
      return await(attempt, true);
    }

    /** Tries the operation now; if the socket is not ready, waits for the selector to say it is. */
    private <T> LoopFuture<T> await(Attempt<T> attempt, boolean write) {
      if ((write ? writing : reading) != null) {
        return LoopFuture.failed(loop::callSoon, new IllegalStateException("a " + (write ? "write" : "read")
          + " already waits on " + channel));
      }
      if (broken != null) {
        return LoopFuture.failed(loop::callSoon, broken);
      }
      T now;
      try {
        now = attempt.tryNow();
      } catch (IOException | RuntimeException e) {
        return LoopFuture.failed(loop::callSoon, e);
      }
      if (now != null) {
        return LoopFuture.succeeded(loop::callSoon, now);
      }
      Pending<T> pending = new Pending<>(attempt, loop.newFuture());
      if (write) {
        writing = pending;
      } else {
        reading = pending;
      }
      pending.future.whenCancelled(() -> {
        if (reading == pending) {
          reading = null;
        }
        if (writing == pending) {
          writing = null;
        }
        interest();
      });
      interest();
      return pending.future;
    }

    @Override
    public void ready(SelectionKey readyKey) throws IOException {
      if (readyKey.isReadable() || readyKey.isAcceptable()) {
        if (reading == null) {
          dropReadInterest(); // nobody reads now: see interest()
        } else if (reading.tryFinish()) {
          reading = null;
        }
      }
      if (writing != null && readyKey.isValid() && readyKey.isWritable()) {
        if (writing.tryFinish()) {
          writing = null;
        }
      }
      interest();
    }

    @Override
    public void closed(SelectionKey closedKey, Throwable cause) {
      broken = new ClosedChannelException();
      for (Pending<?> pending : new Pending<?>[] {reading, writing}) {
        if (pending != null) {
          pending.future.fail(cause != null ? cause : broken);
        }
      }
      reading = null;
      writing = null;
    }

    /**
     * Asks the selector for what the waiting operations need. Read interest is dropped lazily: a task that has
     * just read usually asks for the next read within a turn or two, so the interest stays, and is dropped only
     * if the socket turns readable while nobody reads. That spares two {@code epoll_ctl} calls per read.
     */
    private void interest() {
      if (key == null || !key.isValid()) {
        return;
      }
      int ops = key.interestOps();
      if (reading != null) {
        ops |= readOp();
      }
      ops = writing != null ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
      if (key.interestOps() != ops) {
        key.interestOps(ops);
      }
    }

    private void dropReadInterest() {
      if (key != null && key.isValid()) {
        key.interestOps(key.interestOps() & ~readOp());
      }
    }

    private int readOp() {
      return channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
    }
  }

  /** One operation waiting for its socket. */
  private static final class Pending<T> {
    final Attempt<T> attempt;
    final LoopFuture<T> future;

    Pending(Attempt<T> attempt, LoopFuture<T> future) {
      this.attempt = attempt;
      this.future = future;
    }

    /** Tries again; true once the future is settled. */
    boolean tryFinish() {
      try {
        T result = attempt.tryNow();
        if (result == null) {
          return false;
        }
        future.complete(result);
      } catch (IOException | RuntimeException e) {
        future.fail(e);
      }
      return true;
    }
  }
}
