package org.concurrencylab.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

import java.util.regex.Pattern;

/**
 * {@code GET /cluster/ping[?node=NAME]}: {@code {node, ms}}, the node whose responder answered (any node that
 * runs the {@code cluster} service, in turn, or the one named) and the time it took. The request is resent
 * when an attempt is lost to a node that has just died, within the lab's request timeout, so a user of a
 * cluster that loses a node sees answers, from the nodes left. 503 when no node answers {@code cluster.ping}
 * (or the named node is not in the cluster), 504 when the timeout passed.
 */
final class PingRoute {

  /** How long one attempt waits before it is sent again (a live responder answers in well under a ms). */
  static final long ATTEMPT_MS = 1_000;

  /** A node name as {@code LAB_NODE_NAME} may give it, and nothing that would make another address. */
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private PingRoute() {
  }

  static void mount(Router router, Vertx vertx, long timeoutMs) {
    router.get("/cluster/ping").handler(ctx -> {
      String node = ctx.request().getParam("node");
      if (node != null && !NODE.matcher(node).matches()) {
        HttpResponses.error(ctx, Failure.BAD_REQUEST, "node must be 1-64 letters, digits, '-' or '_'");
        return;
      }
      String address = node == null ? ClusterAddresses.PING : ClusterAddresses.ping(node);
      long started = System.nanoTime();
      HttpResponses.reply(ctx, Bus.<JsonObject>requestIdempotent(vertx, address, new JsonObject(),
          Math.min(ATTEMPT_MS, timeoutMs), timeoutMs)
        .map(reply -> new JsonObject()
          .put("node", reply.getString("node"))
          .put("ms", Math.round((System.nanoTime() - started) / 1e4) / 100.0)));
    });
  }
}
