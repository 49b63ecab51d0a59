package org.concurrencylab.web;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;

/**
 * {@code GET /skus/stream}: every SKU as NDJSON, pulled from a cursor of the products store one batch at a
 * time. The next batch is asked for only when the response has room for it (Vert.x's write queue is below its
 * high-water mark); a slow client therefore stops the requests, and the store's cursor stops reading from
 * PostgreSQL. Memory stays at about one batch per stream whatever the client's speed.
 */
final class SkuStream {

  static final String OPEN = "products.skus.stream";
  static final int BATCH = 1_000;

  private final Vertx vertx;
  private final long timeoutMs;

  SkuStream(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void handle(RoutingContext ctx) {
    Bus.<JsonObject>request(vertx, OPEN, new JsonObject().put("batch", BATCH), timeoutMs).onComplete(
      opened -> new Transfer(ctx.response(), opened.getString("cursor")).start(),
      failure -> HttpResponses.error(ctx, failure));
  }

  /** One response being written from one cursor. */
  private final class Transfer {
    private final HttpServerResponse response;
    private final String cursor;
    private boolean finished;

    Transfer(HttpServerResponse response, String cursor) {
      this.response = response;
      this.cursor = cursor;
    }

    void start() {
      if (response.closed()) {
        closeCursor();
        return;
      }
      response.setChunked(true).putHeader("content-type", "application/x-ndjson");
      response.closeHandler(v -> {
        if (!finished) {
          finished = true;
          closeCursor(); // the client went away mid-stream
        }
      });
      next();
    }

    private void next() {
      Bus.<JsonObject>request(vertx, cursor, new JsonObject(), timeoutMs).onComplete(batch -> {
        if (finished) {
          return;
        }
        response.write(ndjson(batch.getJsonArray("rows")));
        if (batch.getBoolean("done")) {
          finished = true;
          response.end();
        } else if (response.writeQueueFull()) {
          response.drainHandler(v -> {
            response.drainHandler(null); // one drain, one request: never two batches asked at once
            next();
          });
        } else {
          next();
        }
      }, failure -> {
        if (!finished) {
          // The status line is gone already: cut the connection so the client sees a truncated body.
          finished = true;
          closeCursor();
          response.reset();
        }
      });
    }

    private void closeCursor() {
      Bus.request(vertx, cursor, new JsonObject().put("close", true), timeoutMs);
    }
  }

  static Buffer ndjson(JsonArray rows) {
    Buffer buffer = Buffer.buffer(rows.size() * 80);
    for (int i = 0; i < rows.size(); i++) {
      buffer.appendString(rows.getJsonObject(i).encode()).appendByte((byte) '\n');
    }
    return buffer;
  }
}
