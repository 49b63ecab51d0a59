package org.concurrencylab.loop;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.trace.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code loop.record}: the log book the line logger sends every line to, possibly on another node. It logs the
 * line and answers which request id it ran under and on which node: the id came with the message, so the
 * two log lines, on two nodes, show the same id.
 */
final class RecordVerticle extends VerticleBase {

  static final String ADDRESS = "loop.record";
  private static final Logger log = LoggerFactory.getLogger(RecordVerticle.class);

  private final String node;
  private long recorded;

  RecordVerticle(String node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    return Bus.serve(vertx, ADDRESS, message -> {
      JsonObject body = Bus.jsonBody(message);
      String line = body.getString("line");
      if (line == null) {
        return Future.failedFuture(Failure.BAD_REQUEST.exception("loop.record takes {line, peer}"));
      }
      recorded++;
      log.info("recorded \"{}\" from {} on node {}", line, body.getString("peer", "(unknown)"), node);
      return Future.succeededFuture(new JsonObject().put("requestId", RequestIds.current()).put("node", node)
        .put("recorded", recorded));
    });
  }
}
