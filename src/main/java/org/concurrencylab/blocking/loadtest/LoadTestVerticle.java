package org.concurrencylab.blocking.loadtest;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.api.AllowedHosts;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.measure.HttpLoad;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code loadtest} service: {@code loadtest.start} starts a load test and answers at once with its id;
 * the run then publishes {@code {id, state: "running", done, total, errors, perSecond, elapsedMs}} on
 * {@code loadtest.progress.<id>} every {@value #PROGRESS_MS} ms and finally {@code {id, state: "done",
 * result}} (or {@code state: "failed"}). A caller that must not miss the start names the id itself and
 * listens before it starts the run, as the web page does.
 */
public final class LoadTestVerticle extends VerticleBase {

  public static final String SERVICE = "loadtest";
  public static final String START = "loadtest.start";
  public static final String PROGRESS_PREFIX = "loadtest.progress.";
  static final long PROGRESS_MS = 250;
  /** Load tests at once per node: each can saturate a core, and the node has other work. */
  static final int MAX_RUNNING = 2;

  private final String node;
  // The load tests in progress, by id: stop() ends them.
  private final Map<String, HttpLoad> running = new HashMap<>();
  private long finished;
  private AllowedHosts allowed;

  LoadTestVerticle(String node) {
    this.node = node;
  }

  @Override
  public Future<?> start() {
    allowed = AllowedHosts.fromConfig(config());
    return Future.all(
      Bus.serve(vertx, START, this::start),
      ServiceStatus.serve(vertx, SERVICE, node, new JsonArray(),
        () -> new JsonObject().put("running", running.size()).put("finished", finished)));
  }

  private Future<JsonObject> start(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    HttpLoad.Plan plan;
    try {
      plan = LoadTestRequest.fromJson(allowed, body);
    } catch (IllegalArgumentException e) {
      throw Failure.BAD_REQUEST.exception(e.getMessage());
    }
    String id = body.getValue("id") instanceof String given && given.matches("[A-Za-z0-9_-]{1,64}")
      ? given : UUID.randomUUID().toString();
    if (body.containsKey("id") && !id.equals(body.getValue("id"))) {
      throw Failure.BAD_REQUEST.exception("id must be 1 to 64 letters, digits, '-' or '_'");
    }
    if (running.containsKey(id)) {
      throw Failure.CONFLICT.exception("a load test with id " + id + " is running");
    }
    if (running.size() >= MAX_RUNNING) {
      throw Failure.TOO_MANY.exception(MAX_RUNNING + " load tests are running on this node; try again when one ends");
    }
    String address = PROGRESS_PREFIX + id;
    HttpLoad load = HttpLoad.start(vertx, plan,
      progress -> vertx.eventBus().publish(address, progress.toJson().put("id", id).put("state", "running")),
      PROGRESS_MS);
    running.put(id, load);
    load.result()
      .onComplete(result -> {
        running.remove(id);
        finished++;
        vertx.eventBus().publish(address, new JsonObject().put("id", id).put("state", "done")
          .put("result", result.toJson()));
      }, failure -> {
        running.remove(id);
        vertx.eventBus().publish(address, new JsonObject().put("id", id).put("state", "failed")
          .put("message", Failure.describe(failure)));
      });
    return Future.succeededFuture(new JsonObject().put("id", id).put("progress", address));
  }

  /** Undeploying stops the runs: each ends within its request timeout and publishes what it measured. */
  @Override
  public Future<?> stop() {
    List<Future<HttpLoad.Result>> ending = running.values().stream().map(load -> {
      load.stop();
      return load.result();
    }).toList();
    return Future.join(ending);
  }
}
