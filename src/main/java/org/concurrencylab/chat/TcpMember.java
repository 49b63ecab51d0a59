package org.concurrencylab.chat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * One TCP connection of the chat: reads lines with a {@link LineReader} bounded to
 * {@link ChatProtocol#MAX_LINE_BYTES}, speaks the book's protocol, and keeps its unsent chat under the
 * outbox limit. Runs on its shard's event loop.
 */
final class TcpMember implements Member {

  /** How long a disconnected client gets to read its last line before the socket is cut. */
  static final long CLOSE_GRACE_MS = 1_000;

  private static final Logger log = LoggerFactory.getLogger(TcpMember.class);

  private enum State { AWAITING_CONNECT, JOINING, ONLINE, CLOSED }

  private final NetSocket socket;
  private final RoomShard shard;
  private final Outbox outbox;
  private LineReader reader;
  private State state = State.AWAITING_CONNECT;
  private boolean socketClosed;
  private boolean disconnecting;
  private String username;
  private byte[] speakerPrefix;
  private long lastHeard = System.nanoTime();

  TcpMember(NetSocket socket, RoomShard shard) {
    this.socket = socket;
    this.shard = shard;
    this.outbox = new Outbox(shard.settings().outboxBytes(), shard.stats());
  }

  void start() {
    shard.track(this);
    // One byte over the limit for the '\r' of a CRLF line; the exact limit is checked per line.
    reader = new LineReader(socket, ChatProtocol.MAX_LINE_BYTES + 1, this::line,
      () -> refuseLine(ChatProtocol.LINE_TOO_LONG)).start();
    socket.exceptionHandler(this::failed);
    socket.closeHandler(v -> closed());
  }

  /** {@code bytes[from, to)}: one line, without its newline. */
  private void line(byte[] bytes, int from, int to) {
    if (state == State.CLOSED || state == State.JOINING) {
      return;
    }
    lastHeard = System.nanoTime();
    if (to > from && bytes[to - 1] == '\r') {
      to--;
    }
    if (to - from > ChatProtocol.MAX_LINE_BYTES) {
      refuseLine(ChatProtocol.LINE_TOO_LONG);
      return;
    }
    if (!ChatProtocol.isValidUtf8(bytes, from, to)) {
      refuseLine(ChatProtocol.INVALID_UTF8);
      return;
    }
    if (state == State.ONLINE) {
      shard.say(speakerPrefix, bytes, from, to);
    } else {
      connect(new String(bytes, from, to - from, StandardCharsets.UTF_8));
    }
  }

  private void connect(String firstLine) {
    String name = ChatProtocol.usernameOf(firstLine);
    if (name == null) {
      shard.stats().refusedNoConnect.increment();
      shard.drop(this, ChatProtocol.EXPECTED_CONNECT);
      return;
    }
    String problem = ChatProtocol.usernameProblem(name);
    if (problem != null) {
      shard.stats().refusedBadName.increment();
      shard.drop(this, problem);
      return;
    }
    // Lines sent right behind CONNECT wait in the reader until the registry answers.
    state = State.JOINING;
    reader.pause();
    username = name;
    speakerPrefix = ChatProtocol.speakerPrefix(name);
    shard.join(this, name, "tcp").onComplete(
      joined -> {
        if (state == State.JOINING) {
          state = State.ONLINE;
          reader.resume();
        }
      },
      refused -> shard.drop(this, refused.getMessage()));
  }

  private void refuseLine(String reason) {
    shard.stats().droppedBadLine.increment();
    shard.drop(this, reason);
  }

  private void failed(Throwable failure) {
    log.debug("chat connection failed: {}", failure.toString());
    socket.close();
  }

  private void closed() {
    socketClosed = true;
    state = State.CLOSED;
    shard.depart(this);
  }

  @Override
  public String username() {
    return username;
  }

  @Override
  public long lastHeardNanos() {
    return lastHeard;
  }

  @Override
  public boolean deliver(Batch batch) {
    if (state == State.CLOSED) {
      return true;
    }
    return outbox.offer(batch.bytes.length(), () -> socket.write(batch.bytes));
  }

  /**
   * Sends the reason and closes once it is written. A client that does not read would keep that close waiting
   * (Vert.x flushes before it closes), so after a grace period the socket is cut, unread data and all.
   */
  @Override
  public void disconnect(String reason) {
    if (socketClosed || disconnecting) {
      return;
    }
    disconnecting = true;
    state = State.CLOSED;
    socket.pause();
    socket.write(ChatProtocol.line(reason));
    socket.close();
    shard.vertx().setTimer(CLOSE_GRACE_MS, id -> {
      if (!socketClosed && socket instanceof NetSocketInternal internal) {
        // The handler context of Vert.x's own handler: closing from it skips the flush-first close.
        internal.channelHandlerContext().close();
      }
    });
  }
}
