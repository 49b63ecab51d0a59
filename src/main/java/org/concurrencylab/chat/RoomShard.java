package org.concurrencylab.chat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The part of a chat room that lives on one event loop: the users connected on that loop, and the lines they
 * are about to receive. Every method runs on the shard's own event loop, so nothing here is locked.
 *
 * <p>Fan-out is the whole cost of a chat server, so lines are not written one by one. A line said here, or
 * arriving from another shard, is appended to a pending batch; the batch goes out once the event loop has
 * read what is ready (a task queued behind this round of I/O), as one write of the same bytes to every
 * member. Under load one socket write carries many lines; when idle a line leaves in the same loop turn.
 * Lines said here are then published once on {@code chat.room.<room>}, where the other shards of this node
 * and of every other node pick them up; a shard skips its own publications.
 */
public final class RoomShard {

  /** The event-bus address of a room: every shard of every node listens on it. */
  public static String address(String room) {
    return "chat.room." + room;
  }

  /** Header naming the shard that published a batch. */
  static final String ORIGIN = "origin";
  /** Header with the number of lines in a batch. */
  static final String LINES = "lines";
  /** A pending batch this large is sent at once rather than at the end of the loop turn. */
  static final int FLUSH_AT_BYTES = 64 * 1024;
  /** The first capacity of a batch: a few dozen lines before it has to grow. */
  static final int BATCH_SIZE_HINT = 2048;
  static final long REGISTRY_TIMEOUT_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(RoomShard.class);

  private final Vertx vertx;
  private final Context context;
  private final ChatSettings settings;
  private final ChatStats stats;
  private final String address;
  private final String origin = UUID.randomUUID().toString();
  private final long idleNanos;
  private final List<Member> online = new ArrayList<>();
  private final Set<Member> connections = new LinkedHashSet<>();
  private final Handler<Void> flushTask = ignored -> flush();

  private Buffer outgoing;
  private int outgoingLines;
  private Buffer incoming;
  private int incomingLines;
  private boolean flushScheduled;
  private MessageConsumer<Buffer> consumer;
  private long idleTimer = -1;

  /** A shard on the calling event loop. */
  public RoomShard(Vertx vertx, ChatSettings settings, ChatStats stats) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.settings = settings;
    this.stats = stats;
    this.address = address(ChatSettings.ROOM);
    this.idleNanos = TimeUnit.SECONDS.toNanos(settings.idleTimeoutS());
  }

  /** Listens on the room's address and starts the idle check; completes when the consumer is registered. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(address, this::received);
    long sweepMs = Math.max(50, Math.min(1_000, settings.idleTimeoutS() * 250L));
    idleTimer = vertx.setPeriodic(sweepMs, id -> disconnectIdle());
    return consumer.completion();
  }

  /**
   * Takes every user of this shard out of the room (the others see them leave) and closes their connections.
   * Completes when the registry has forgotten them.
   */
  public Future<Void> stop() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
    }
    List<Future<Void>> leaving = new ArrayList<>();
    for (Member member : List.copyOf(connections)) {
      leaving.add(depart(member));
      member.disconnect("Server shutting down");
    }
    return Future.join(leaving).transform(done -> {
      flush(); // the leaves, to the other nodes
      return consumer == null ? Future.succeededFuture() : consumer.unregister();
    });
  }

  /** A new connection: from now on it is checked for idleness. */
  public void track(Member member) {
    connections.add(member);
    stats.connections.increment();
  }

  /**
   * Asks the registry for {@code username} and, when granted, puts the member in the room: the others get
   * {@code <username> connected!}, then the newcomer gets the welcome and every line after it. Fails with the
   * line to send the member when the name is taken, the room is full or the registry cannot be reached.
   */
  public Future<Void> join(Member member, String username, String via) {
    JsonObject request = new JsonObject().put("room", ChatSettings.ROOM).put("user", username).put("via", via);
    return vertx.eventBus().<JsonObject>request(RoomRegistry.JOIN, request, registryOptions())
      .recover(failure -> Future.failedFuture(new RefusedException(refusal(failure))))
      .compose(reply -> {
        if (!connections.contains(member)) {
          // The connection went away while the registry answered: give the name back.
          leaveRegistry(username);
          return Future.failedFuture(new RefusedException("gone"));
        }
        announce(ChatProtocol.connected(username));
        flush();
        member.deliver(Member.Batch.ofLine(ChatProtocol.welcome(reply.body().getInteger("online"))));
        online.add(member);
        if (online.size() == 1) {
          stats.occupiedShards.incrementAndGet();
        }
        stats.joined.increment();
        return Future.succeededFuture();
      });
  }

  private String refusal(Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      if (reply.failureCode() == Failure.CONFLICT.code()) {
        stats.refusedTaken.increment();
      } else if (reply.failureCode() == Failure.UNAVAILABLE.code()) {
        stats.refusedFull.increment();
      }
      return reply.getMessage();
    }
    log.warn("the chat registry did not answer a join: {}", Failure.describe(failure));
    return "Chat unavailable, try again later";
  }

  /** A line the member said: {@code <username>: line} goes to everyone, the member included. */
  public void say(byte[] speakerPrefix, Buffer line) {
    stats.linesIn.increment();
    outgoing().appendBytes(speakerPrefix).appendBuffer(line).appendByte((byte) '\n');
    outgoingLines++;
    pending();
  }

  /** {@link #say(byte[], Buffer)} of the line {@code bytes[from, to)}, copied once, into the batch. */
  public void say(byte[] speakerPrefix, byte[] bytes, int from, int to) {
    stats.linesIn.increment();
    outgoing().appendBytes(speakerPrefix).appendBytes(bytes, from, to - from).appendByte((byte) '\n');
    outgoingLines++;
    pending();
  }

  private Buffer outgoing() {
    if (outgoing == null) {
      outgoing = Buffer.buffer(BATCH_SIZE_HINT);
    }
    return outgoing;
  }

  /** A line from the room itself (joins and leaves). */
  void announce(Buffer line) {
    outgoing().appendBuffer(line);
    outgoingLines++;
    pending();
  }

  /**
   * The member's connection ended (or is being ended). If it was in the room, the registry forgets it and the
   * others get {@code <username> has left the chat}. Safe to call more than once.
   */
  public Future<Void> depart(Member member) {
    connections.remove(member);
    if (!online.remove(member)) {
      return Future.succeededFuture();
    }
    if (online.isEmpty()) {
      stats.occupiedShards.decrementAndGet();
    }
    String username = member.username();
    return leaveRegistry(username).transform(left -> {
      // A failed request still announces: a leave said twice beats one never said.
      if (left.failed() || Boolean.TRUE.equals(left.result())) {
        announce(ChatProtocol.left(username));
      }
      return Future.succeededFuture();
    });
  }

  /** Takes the member out of the room and disconnects it with a reason line. */
  public void drop(Member member, String reason) {
    depart(member);
    member.disconnect(reason);
  }

  private Future<Boolean> leaveRegistry(String username) {
    JsonObject request = new JsonObject().put("room", ChatSettings.ROOM).put("user", username);
    return vertx.eventBus().<JsonObject>request(RoomRegistry.LEAVE, request, registryOptions())
      .map(reply -> reply.body().getBoolean("left", false))
      .onFailure(failure -> log.warn("the chat registry did not answer the leave of {}: {}",
        ChatProtocol.printable(username), Failure.describe(failure)));
  }

  /** Requests go to this node's registry: it records which node the user is on. */
  private static DeliveryOptions registryOptions() {
    return new DeliveryOptions().setSendTimeout(REGISTRY_TIMEOUT_MS).setLocalOnly(true);
  }

  private void received(Message<Buffer> message) {
    if (origin.equals(message.headers().get(ORIGIN)) || online.isEmpty()) {
      return;
    }
    Buffer body = message.body();
    if (incoming == null) {
      incoming = body; // the bus hands each consumer its own copy
    } else {
      incoming.appendBuffer(body);
    }
    incomingLines += Integer.parseInt(message.headers().get(LINES));
    pending();
  }

  private void pending() {
    int size = (outgoing == null ? 0 : outgoing.length()) + (incoming == null ? 0 : incoming.length());
    if (size >= FLUSH_AT_BYTES) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      context.runOnContext(flushTask);
    }
  }

  /** Writes the pending batch to every member of this shard and publishes the lines said here. */
  void flush() {
    flushScheduled = false;
    Buffer said = outgoing;
    int saidLines = outgoingLines;
    Buffer batch = incoming;
    int lines = incomingLines + saidLines;
    outgoing = null;
    incoming = null;
    outgoingLines = 0;
    incomingLines = 0;
    if (said != null) {
      batch = batch == null ? said : batch.appendBuffer(said);
      // On a single node where no other shard has users nobody else would read it: skip the bus.
      if (vertx.isClustered() || stats.occupiedShards.get() > (online.isEmpty() ? 0 : 1)) {
        vertx.eventBus().publish(address, said,
          new DeliveryOptions().addHeader(ORIGIN, origin).addHeader(LINES, Integer.toString(saidLines)));
      }
    }
    if (batch == null || online.isEmpty()) {
      return;
    }
    Member.Batch out = new Member.Batch(batch, lines);
    List<Member> tooSlow = null;
    for (int i = 0, n = online.size(); i < n; i++) {
      Member member = online.get(i);
      if (!member.deliver(out)) {
        if (tooSlow == null) {
          tooSlow = new ArrayList<>();
        }
        tooSlow.add(member);
      }
    }
    int written = online.size() - (tooSlow == null ? 0 : tooSlow.size());
    stats.deliveries.add((long) lines * written);
    stats.writes.add(written);
    if (tooSlow != null) {
      for (Member member : tooSlow) {
        stats.droppedSlow.increment();
        log.info("{} is too slow, disconnecting", ChatProtocol.printable(member.username()));
        drop(member, ChatProtocol.tooSlow(settings.outboxKib()));
      }
    }
  }

  private void disconnectIdle() {
    if (connections.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Member member : List.copyOf(connections)) {
      if (now - member.lastHeardNanos() > idleNanos) {
        stats.droppedIdle.increment();
        drop(member, ChatProtocol.idle(settings.idleTimeoutS()));
      }
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public ChatSettings settings() {
    return settings;
  }

  public ChatStats stats() {
    return stats;
  }

  /** Users in the room on this shard. */
  public int onlineHere() {
    return online.size();
  }

  /** A join the room refused; the message is the line for the client. */
  public static final class RefusedException extends RuntimeException {
    RefusedException(String line) {
      super(line, null, false, false);
    }
  }
}
