package org.concurrencylab.chat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

import java.nio.charset.StandardCharsets;

/** One browser in the room, over a WebSocket: the same rules as a TCP user (names, line limit, idle, outbox). */
final class WebMember implements Member {

  private final ServerWebSocket socket;
  private final RoomShard shard;
  private final Outbox outbox;
  private String username;
  private byte[] speakerPrefix;
  private boolean online;
  private boolean closed;
  private long lastHeard = System.nanoTime();

  WebMember(ServerWebSocket socket, RoomShard shard) {
    this.socket = socket;
    this.shard = shard;
    this.outbox = new Outbox(shard.settings().outboxBytes(), shard.stats());
  }

  void start(String name) {
    shard.track(this);
    socket.closeHandler(v -> {
      closed = true;
      shard.depart(this);
    });
    socket.textMessageHandler(this::message);
    String problem = ChatProtocol.usernameProblem(name);
    if (problem != null) {
      shard.stats().refusedBadName.increment();
      shard.drop(this, problem);
      return;
    }
    username = name;
    speakerPrefix = ChatProtocol.speakerPrefix(name);
    socket.pause(); // lines sent before the registry answers wait
    shard.join(this, name, "websocket").onComplete(
      joined -> {
        online = true;
        socket.resume();
      },
      refused -> shard.drop(this, refused.getMessage()));
  }

  private void message(String text) {
    if (!online || closed) {
      return;
    }
    lastHeard = System.nanoTime();
    // A message is normally one line; one with newlines is taken as several, as a TCP client's would be.
    for (String part : text.split("\n", -1)) {
      if (part.isEmpty() && text.endsWith("\n")) {
        continue;
      }
      Buffer line = ChatProtocol.withoutCarriageReturn(Buffer.buffer(part.getBytes(StandardCharsets.UTF_8)));
      if (line.length() > ChatProtocol.MAX_LINE_BYTES) {
        shard.stats().droppedBadLine.increment();
        shard.drop(this, ChatProtocol.LINE_TOO_LONG);
        return;
      }
      shard.say(speakerPrefix, line);
    }
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
    if (closed) {
      return true;
    }
    return outbox.offer(batch.bytes().length(), () -> socket.writeTextMessage(batch.text()));
  }

  /** The reason as a last message, then a normal close; Vert.x cuts the connection if the browser never answers. */
  @Override
  public void disconnect(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    socket.writeTextMessage(reason + "\n");
    socket.close();
  }
}
