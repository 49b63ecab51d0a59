package org.concurrencylab.process;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

import java.util.ArrayList;
import java.util.List;

/**
 * Follows one child's output from any node, from its first line, each batch once and in order, then its exit.
 * A watcher may arrive after the child has started (or ended), so it first listens to the live events, then
 * asks for what the child kept so far, and passes on the live events the snapshot did not already hold
 * (each batch has a sequence number). Events: {@code {type: "output", stream, seq, lines, partial}}, at most one
 * {@code {type: "truncated"}} when kept output was cut at the cap, and finally {@code {type: "exit", ...}}.
 */
public final class OutputFollower {

  private final Handler<JsonObject> handler;
  private final List<JsonObject> early = new ArrayList<>();
  private MessageConsumer<JsonObject> consumer;
  private int nextSeq = -1; // -1: the snapshot has not arrived yet
  private boolean ended;

  private OutputFollower(Handler<JsonObject> handler) {
    this.handler = handler;
  }

  /**
   * Starts following process {@code id}. The Future fails with 404 when no node knows the id. Call from an
   * event loop; {@code handler} is called there.
   */
  public static Future<OutputFollower> follow(Vertx vertx, String id, Handler<JsonObject> handler) {
    OutputFollower follower = new OutputFollower(handler);
    follower.consumer = vertx.eventBus().consumer(ProcessAddresses.events(id), message -> follower.live(message.body()));
    return follower.consumer.completion()
      .compose(v -> Bus.<JsonObject>request(vertx, ProcessAddresses.output(id), new JsonObject()))
      .recover(failure -> {
        follower.close();
        return Future.failedFuture(Failure.of(failure) == Failure.UNAVAILABLE
          ? Failure.NOT_FOUND.exception("no process " + id + " (unknown, or ended more than a while ago)")
          : failure);
      })
      .map(snapshot -> {
        follower.replay(snapshot);
        return follower;
      });
  }

  private void replay(JsonObject snapshot) {
    for (Object batch : snapshot.getJsonArray("output")) {
      deliver((JsonObject) batch);
    }
    nextSeq = snapshot.getInteger("nextSeq");
    if (snapshot.getBoolean("truncated")) {
      deliver(new JsonObject().put("type", "truncated")
        .put("message", "the service kept only the first part of this output (process_output_max); what came after it "
          + "was streamed live before this watcher arrived"));
    }
    JsonObject result = snapshot.getJsonObject("result");
    if (result != null) {
      finish(result);
      return;
    }
    early.forEach(this::live);
    early.clear();
  }

  private void live(JsonObject event) {
    if (ended) {
      return;
    }
    if (nextSeq < 0) {
      early.add(event);
      return;
    }
    if ("exit".equals(event.getString("type"))) {
      finish(event);
    } else if (event.getInteger("seq", Integer.MAX_VALUE) >= nextSeq) {
      deliver(event);
    }
  }

  private void deliver(JsonObject event) {
    handler.handle(event);
  }

  private void finish(JsonObject exit) {
    ended = true;
    deliver(exit);
    close();
  }

  /** Stops following (the watcher went away). */
  public void close() {
    if (consumer != null) {
      consumer.unregister();
      consumer = null;
    }
  }
}
