package org.concurrencylab.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The members of the lab: every node that runs, with the services it deploys. Each node announces itself on
 * {@link #BEAT} once a second and answers {@link #ADDRESS} with what it has heard, so any node (and any
 * browser or bridge client) can ask who is there. A node not heard from for {@link #TTL_MS} is gone; a node
 * that stops in order says so at once.
 *
 * <p>Reply of {@code lab.members}: {@code {node, services: [every service the lab has], members: [{node,
 * services: [name], host, clustered, started_at, heard_ms_ago}]}}, members sorted by name. {@code node} is the
 * node that answered.
 */
public final class Members {

  /** Request {@code {}} -> the members, as above. */
  public static final String ADDRESS = "lab.members";
  /** Published by every node: {@code {node, services, host, clustered, started_at, leaving?}}. */
  public static final String BEAT = "lab.members.beat";
  /** How often a node announces itself. */
  public static final long BEAT_MS = 1_000;
  /** A node not heard from for this long has left (died, or lost the network). */
  public static final long TTL_MS = 3_500;

  private Members() {
  }

  /** Asks any node for the members; fails like any bus request (503 when no lab node runs). */
  public static Future<List<JsonObject>> list(Vertx vertx, long timeoutMs) {
    return Bus.<JsonObject>request(vertx, ADDRESS, new JsonObject(), timeoutMs)
      .map(reply -> reply.getJsonArray("members", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .toList());
  }

  /** The names of the services a member deploys. */
  public static List<String> services(JsonObject member) {
    return member.getJsonArray("services", new JsonArray()).stream().map(String.class::cast).toList();
  }
}
