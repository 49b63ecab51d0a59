package org.concurrencylab.chat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live numbers of one node's chat, for {@code chat.status}. Shards on several event loops count into it;
 * adders keep that cheap. Only {@link #occupiedShards} is read per batch (one volatile read).
 */
public final class ChatStats implements Shareable {

  /** The stats of the node {@code vertx} is: one object for the TCP shards and the WebSocket route alike. */
  public static ChatStats of(Vertx vertx) {
    return vertx.sharedData().<String, ChatStats>getLocalMap("chat.node").computeIfAbsent("stats", key -> new ChatStats());
  }

  final LongAdder connections = new LongAdder();
  final LongAdder joined = new LongAdder();
  final LongAdder linesIn = new LongAdder();
  final LongAdder deliveries = new LongAdder();
  final LongAdder writes = new LongAdder();
  final LongAdder refusedTaken = new LongAdder();
  final LongAdder refusedFull = new LongAdder();
  final LongAdder refusedBadName = new LongAdder();
  final LongAdder refusedNoConnect = new LongAdder();
  final LongAdder droppedIdle = new LongAdder();
  final LongAdder droppedSlow = new LongAdder();
  final LongAdder droppedBadLine = new LongAdder();
  final LongAccumulator largestOutbox = new LongAccumulator(Math::max, 0);
  /**
   * The room shards of this node (TCP event loops, HTTP servers, the bus room) with at least one user in the
   * room. On a single node a shard publishes its lines on the bus only when another shard has someone to read
   * them: a publication nobody reads still costs a copy of the batch and a wake-up of every shard's loop.
   */
  final AtomicInteger occupiedShards = new AtomicInteger();

  /** Forgets the node's stats (the chat was undeployed); a new deployment starts from zero. */
  static void forget(Vertx vertx) {
    vertx.sharedData().getLocalMap("chat.node").remove("stats");
  }

  /** Remembers the largest outbox seen; cheap to call on every write. */
  void outbox(long bytes) {
    if (bytes > largestOutbox.get()) {
      largestOutbox.accumulate(bytes);
    }
  }

  JsonObject snapshot() {
    return new JsonObject()
      .put("connections", connections.sum())
      .put("joined", joined.sum())
      .put("lines_in", linesIn.sum())
      .put("deliveries", deliveries.sum())
      .put("socket_writes", writes.sum())
      .put("refused", new JsonObject()
        .put("username_taken", refusedTaken.sum())
        .put("full", refusedFull.sum())
        .put("bad_username", refusedBadName.sum())
        .put("no_connect", refusedNoConnect.sum()))
      .put("disconnected", new JsonObject()
        .put("idle", droppedIdle.sum())
        .put("too_slow", droppedSlow.sum())
        .put("bad_line", droppedBadLine.sum()))
      .put("largest_outbox_bytes", largestOutbox.get());
  }
}
