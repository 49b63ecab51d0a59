package org.concurrencylab.process;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

import java.util.regex.Pattern;

/**
 * The process service over HTTP; every handler talks to the service over the bus, so the child may run on
 * another node.
 * <ul>
 *   <li>{@code POST /processes} {@code {command, args, stdin, timeoutMs, keepStdinOpen}}: 201 {@code {id, ...}};
 *       with {@code ?wait=true}, 200 and the result (exit code, output);</li>
 *   <li>{@code GET /processes/{id}}: state and the output kept so far;</li>
 *   <li>{@code GET /processes/{id}/output}: the output as it comes, as Server-Sent Events ({@code event: output}
 *       then {@code event: exit}), or as WebSocket text frames (the same JSON) when the request asks for an
 *       upgrade; a WebSocket for an unknown id closes with code 4404;</li>
 *   <li>{@code POST /processes/{id}/stdin} {@code {data, eof}}; {@code DELETE /processes/{id}}: terminate.</li>
 * </ul>
 */
final class ProcessRoutes {

  /** Room for a stdin text of {@link RunRequest#MAX_STDIN_BYTES} and the rest of the request. */
  private static final long BODY_LIMIT = RunRequest.MAX_STDIN_BYTES * 2L;
  private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  /** How long past the child's own timeout a waiting HTTP request waits for the result. */
  private static final long WAIT_MARGIN_MS = 30_000;

  private final Vertx vertx;

  private ProcessRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  static void mount(Router router, Vertx vertx) {
    ProcessRoutes routes = new ProcessRoutes(vertx);
    router.post("/processes").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT)).handler(routes::run);
    router.get("/processes/:id").handler(routes::get);
    router.get("/processes/:id/output").handler(routes::output);
    router.post("/processes/:id/stdin").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT)).handler(routes::stdin);
    router.delete("/processes/:id").handler(routes::kill);
  }

  private void run(RoutingContext ctx) {
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    boolean wait = "true".equals(ctx.queryParams().get("wait"));
    if (wait) {
      long timeout = body.getValue("timeoutMs") instanceof Number n ? n.longValue() : RunRequest.DEFAULT_TIMEOUT_MS;
      body.put("wait", true);
      HttpResponses.reply(ctx, Bus.request(vertx, ProcessAddresses.RUN, body,
        Math.min(timeout, RunRequest.MAX_TIMEOUT_MS) + ChildProcess.KILL_GRACE_MS + WAIT_MARGIN_MS));
      return;
    }
    body.remove("wait");
    Bus.<JsonObject>request(vertx, ProcessAddresses.RUN, body).onComplete(
      started -> {
        ctx.response().putHeader(HttpHeaders.LOCATION, "/processes/" + started.getString("id"));
        HttpResponses.json(ctx, 201, started);
      },
      failure -> HttpResponses.error(ctx, failure));
  }

  private void get(RoutingContext ctx) {
    String id = id(ctx);
    if (id != null) {
      HttpResponses.reply(ctx, perProcess(ProcessAddresses.output(id), id, new JsonObject()));
    }
  }

  private void stdin(RoutingContext ctx) {
    String id = id(ctx);
    JsonObject body = id == null ? null : jsonBody(ctx);
    if (body != null) {
      HttpResponses.reply(ctx, perProcess(ProcessAddresses.stdin(id), id, body));
    }
  }

  private void kill(RoutingContext ctx) {
    String id = id(ctx);
    if (id != null) {
      String signal = ctx.queryParams().get("signal");
      HttpResponses.reply(ctx, perProcess(ProcessAddresses.kill(id), id,
        new JsonObject().put("signal", signal == null ? "TERM" : signal), ChildProcess.KILL_GRACE_MS + 5_000));
    }
  }

  private void output(RoutingContext ctx) {
    String id = id(ctx);
    if (id == null) {
      return;
    }
    if ("websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
      ctx.request().toWebSocket().onSuccess(socket -> toWebSocket(socket, id))
        .onFailure(failure -> HttpResponses.error(ctx, Failure.BAD_REQUEST, "WebSocket upgrade failed: "
          + Failure.describe(failure)));
      return;
    }
    HttpServerResponse response = ctx.response();
    int[] dropped = {0};
    OutputFollower.follow(vertx, id, event -> {
      if (response.closed()) {
        return;
      }
      beginEventStream(response);
      String type = event.getString("type");
      if (response.writeQueueFull() && "output".equals(type)) {
        dropped[0]++; // a slow reader loses batches, not the server's memory
        return;
      }
      if (dropped[0] > 0) {
        response.write(sse("dropped", new JsonObject().put("batches", dropped[0])));
        dropped[0] = 0;
      }
      response.write(sse(type, event));
      if ("exit".equals(type)) {
        response.end();
      }
    }).onSuccess(follower -> {
      response.closeHandler(v -> follower.close());
      if (!response.ended()) {
        beginEventStream(response);
        response.write(": following process " + id + "\n\n"); // sends the head now: the child may be silent a while
      }
    }).onFailure(failure -> HttpResponses.error(ctx, failure));
  }

  private static void beginEventStream(HttpServerResponse response) {
    if (!response.headWritten()) {
      response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        // Compression would hold lines back in its buffer; live output goes out as written.
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    }
  }

  private void toWebSocket(ServerWebSocket socket, String id) {
    OutputFollower.follow(vertx, id, event -> {
      if (socket.isClosed()) {
        return;
      }
      if (!socket.writeQueueFull() || !"output".equals(event.getString("type"))) {
        socket.writeTextMessage(event.encode());
      }
      if ("exit".equals(event.getString("type"))) {
        socket.close();
      }
    }).onSuccess(follower -> socket.closeHandler(v -> follower.close()))
      // 4000 + the HTTP status: 4404 for an unknown id.
      .onFailure(failure -> socket.close((short) (4000 + Failure.of(failure).code()), Failure.describe(failure)));
  }

  private static String sse(String event, JsonObject data) {
    String id = data.containsKey("seq") ? "id: " + data.getValue("seq") + "\n" : "";
    return "event: " + event + "\n" + id + "data: " + data.encode() + "\n\n";
  }

  private Future<JsonObject> perProcess(String address, String id, JsonObject body) {
    return perProcess(address, id, body, Bus.DEFAULT_TIMEOUT_MS);
  }

  /** A request to one child's address; nobody serving it means no such process (404), not an absent service. */
  private Future<JsonObject> perProcess(String address, String id, JsonObject body, long timeoutMs) {
    return Bus.<JsonObject>request(vertx, address, body, timeoutMs)
      .recover(failure -> Future.failedFuture(Failure.of(failure) == Failure.UNAVAILABLE
        ? Failure.NOT_FOUND.exception("no process " + id + " (unknown, or ended more than a while ago)")
        : failure));
  }

  private static String id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      HttpResponses.error(ctx, Failure.NOT_FOUND, "no process " + CommandPolicy.printable(id)
        + " (ids look like 0f8c2d4e-6a1b-4c3d-9e8f-7a6b5c4d3e2f)");
      return null;
    }
    return id;
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        HttpResponses.error(ctx, Failure.BAD_REQUEST, "the body must be a JSON object");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "the body must be a JSON object");
      return null;
    }
  }
}
