package org.concurrencylab.chat;

import io.vertx.core.json.JsonObject;

/**
 * The chat's settings, read once from the node's configuration ({@code LAB_CHAT_*}).
 *
 * @param host           address the TCP server binds
 * @param port           TCP port ({@code chat_port}, the book's 8000 is the echo server's here)
 * @param idleTimeoutS   a user who sends nothing for this long is disconnected (the book's 60 s)
 * @param maxUsers       users online in the room, cluster-wide; one more is refused
 * @param outboxKib      unsent chat one user may have queued before being dropped as too slow
 * @param instances      TCP server event loops (0 = one per core)
 */
public record ChatSettings(String host, int port, int idleTimeoutS, int maxUsers, int outboxKib, int instances) {

  /** The room every TCP and WebSocket user joins (the book has one room). */
  public static final String ROOM = "lobby";

  public static ChatSettings from(JsonObject config) {
    return new ChatSettings(
      config.getString("host", "127.0.0.1"),
      config.getInteger("chat_port", 8001),
      config.getInteger("chat_idle_timeout_s", 60),
      config.getInteger("chat_max_users", 10_000),
      config.getInteger("chat_outbox_kib", 1024),
      config.getInteger("chat_instances", 0));
  }

  /** The outbox limit in bytes. */
  public long outboxBytes() {
    return outboxKib * 1024L;
  }

  /** TCP server verticles to deploy. */
  public int serverInstances() {
    return instances > 0 ? instances : Runtime.getRuntime().availableProcessors();
  }
}
