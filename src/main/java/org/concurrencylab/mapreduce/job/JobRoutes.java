package org.concurrencylab.mapreduce.job;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.concurrencylab.api.HttpResponses;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

import java.util.regex.Pattern;

/**
 * {@code POST /jobs/wordcount} starts a job (202, {@code Location: /jobs/{id}}); {@code GET /jobs/{id}} reports
 * its progress and, once done, its result. Both go over the bus, so the job may run on any node.
 */
public final class JobRoutes {

  /** A job request is a few fields; anything larger is refused with 413. */
  static final long BODY_LIMIT = 16 * 1024;
  /** Planning reads a few samples of the file; on a busy disk that can take a moment. */
  static final long START_TIMEOUT_MS = 30_000;
  static final long GET_TIMEOUT_MS = 5_000;
  private static final Pattern JOB_ID = Pattern.compile("[0-9a-f-]{1,64}");

  private JobRoutes() {
  }

  public static void mount(Router router, Vertx vertx) {
    router.post("/jobs/wordcount").handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
    router.post("/jobs/wordcount").handler(ctx -> start(ctx, vertx));
    router.get("/jobs/:id").handler(ctx -> get(ctx, vertx));
  }

  private static void start(RoutingContext ctx, Vertx vertx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "the body must be a JSON object: {\"path\": \"...\"}");
      return;
    }
    if (body == null) {
      HttpResponses.error(ctx, Failure.BAD_REQUEST, "the body must be a JSON object: {\"path\": \"...\"}");
      return;
    }
    Bus.<JsonObject>request(vertx, WordCountAddresses.START, body, START_TIMEOUT_MS).onComplete(job -> {
      ctx.response().putHeader("location", "/jobs/" + job.getString("id"));
      HttpResponses.json(ctx, 202, job);
    }, failure -> HttpResponses.error(ctx, failure));
  }

  private static void get(RoutingContext ctx, Vertx vertx) {
    String id = ctx.pathParam("id");
    if (!JOB_ID.matcher(id).matches()) {
      HttpResponses.error(ctx, Failure.NOT_FOUND, "no job " + id);
      return;
    }
    Bus.<JsonObject>request(vertx, WordCountAddresses.job(id), new JsonObject(), GET_TIMEOUT_MS).onComplete(
      job -> HttpResponses.json(ctx, 200, job),
      failure -> {
        if (Failure.of(failure) == Failure.UNAVAILABLE) {
          // Nobody serves the job's address: no node runs or remembers such a job.
          HttpResponses.error(ctx, Failure.NOT_FOUND, "no job " + id + " (unknown, or forgotten after "
            + JobCoordinator.KEEP_FINISHED + " newer jobs)");
        } else {
          HttpResponses.error(ctx, failure);
        }
      });
  }
}
