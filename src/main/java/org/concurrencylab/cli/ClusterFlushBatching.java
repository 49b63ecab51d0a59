package org.concurrencylab.cli;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Lets the clustered event bus write the messages an event-loop turn sends to another node with one
 * {@code write(2)} instead of one each.
 *
 * <p>Why: Vert.x 5.0.7 writes each clustered message to the node's one outbound connection
 * ({@code OutboundConnection.writeMessage} → {@code NetSocket.write}), and a write made on the connection's own
 * event loop is flushed at once unless that connection is reading, which an outbound connection never does. So
 * 64 replies that one read of 64 requests produced leave in 64 system calls and 64 TCP segments, and the other
 * node reads them in as many wake-ups. Netty's {@link FlushConsolidationHandler} at the head of the connection's
 * pipeline turns those flushes into one, run after the tasks already queued on the loop: the messages of one
 * burst go out together, a lone message leaves as soon as the loop has nothing else queued (no timer, no Nagle).
 * {@code EventBusOptions} has no such option, and the outbound connections are private to
 * {@code ClusteredEventBus}, hence the reflection; if a Vert.x version renames its fields, this logs once and
 * the bus runs as Vert.x ships it.
 *
 * <p>Outbound connections open lazily, on the first message to a node, and again after a node comes back: a
 * check every {@link #CHECK_MS} ms (a map read when nothing changed) adds the handler to new ones.
 */
public final class ClusterFlushBatching {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterFlushBatching.class);
  private static final String HANDLER = "lab-cluster-flush-batching";
  /** Flushes are still made after this many writes in a row, so a long burst does not sit in memory. */
  private static final int FLUSH_AT_LEAST_EVERY = 64;
  static final long CHECK_MS = 250;

  private ClusterFlushBatching() {
  }

  /** Batches the flushes of {@code vertx}'s clustered event bus from now on; nothing when it is not clustered. */
  public static void enable(Vertx vertx) {
    if (!vertx.isClustered()) {
      return;
    }
    BusFields fields;
    try {
      fields = BusFields.of(vertx);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cluster writes not batched (this Vert.x's clustered event bus is not the one expected): {}",
        e.toString());
      return;
    }
    if (visit(vertx, fields, ClusterFlushBatching::add)) {
      vertx.setPeriodic(CHECK_MS, id -> {
        if (!visit(vertx, fields, ClusterFlushBatching::add)) {
          vertx.cancelTimer(id);
        }
      });
    }
  }

  /** Established outbound connections of {@code vertx}'s clustered bus that batch their flushes (for tests). */
  static int batchedConnections(Vertx vertx) throws ReflectiveOperationException {
    int[] batched = {0};
    visit(vertx, BusFields.of(vertx), pipeline -> batched[0] += pipeline.get(HANDLER) == null ? 0 : 1);
    return batched[0];
  }

  /** Vert.x 5.0.7's private fields: the clustered bus's outbound connections, and each one's socket. */
  private record BusFields(Field connections, Field socket) {

    static BusFields of(Vertx vertx) throws ReflectiveOperationException {
      Field connections = vertx.eventBus().getClass().getDeclaredField("outboundConnections");
      connections.setAccessible(true);
      Field socket = Class.forName("io.vertx.core.eventbus.impl.clustered.OutboundConnection")
        .getDeclaredField("socket");
      socket.setAccessible(true);
      return new BusFields(connections, socket);
    }
  }

  private static void add(ChannelPipeline pipeline) {
    if (pipeline.get(HANDLER) == null) {
      pipeline.addFirst(HANDLER, new FlushConsolidationHandler(FLUSH_AT_LEAST_EVERY, true));
    }
  }

  /** The pipelines of the established outbound connections; false (logged) when the fields cannot be read. */
  private static boolean visit(Vertx vertx, BusFields fields, Consumer<ChannelPipeline> action) {
    try {
      for (Object connection : ((Map<?, ?>) fields.connections().get(vertx.eventBus())).values()) {
        // Null until the connection is established (messages queue in the meantime): the next check sees it.
        if (fields.socket().get(connection) instanceof NetSocketInternal established) {
          action.accept(established.channelHandlerContext().pipeline());
        }
      }
      return true;
    } catch (IllegalAccessException | IllegalArgumentException e) {
      LOG.warn("cluster writes no longer batched: {}", e.toString());
      return false;
    }
  }
}
