package org.concurrencylab.fetch;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.fetch.FetchRequest.Target;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One fetch call in progress, on one event loop. It keeps at most {@code limit} requests in flight (the
 * book's connector limit), starting the next URL when one finishes; each request has its own timer
 * ({@code timeoutMs}) and the call one more ({@code deadlineMs}). Every URL ends exactly once as
 * {@code ok}, {@code error}, {@code timeout} or {@code cancelled}; {@code first} and {@code first-error}
 * cancel what is still running by resetting its request, which closes its connection, so the server sees
 * the cancellation.
 *
 * <p>Not thread-safe: every method runs on the event loop of the verticle that created it.
 */
final class FetchRun {

  static final String OK = "ok";
  static final String ERROR = "error";
  static final String TIMEOUT = "timeout";
  static final String CANCELLED = "cancelled";

  /** The state of one URL of the call. */
  private static final class Slot {
    final Target target;
    long startNanos;
    long timer = -1;
    HttpClientRequest request;
    boolean started;
    boolean done;
    int status;
    long bytes;
    JsonObject result;

    Slot(Target target) {
      this.target = target;
    }
  }

  private final Vertx vertx;
  private final FetchRequest call;
  private final HttpClient client;
  private final Consumer<JsonObject> onResult;
  private final Slot[] slots;
  /** The slots in the order they were decided: the reply's order in {@code as-completed} mode. */
  private final List<Slot> decided;
  private final Promise<JsonObject> outcome = Promise.promise();
  private final long startNanos = System.nanoTime();

  private int next;
  private int inFlight;
  private int finished;
  private boolean filling;
  private boolean stopping;
  private long deadlineTimer = -1;
  private JsonObject winner;
  private JsonObject firstError;
  // The totals, counted as URLs are decided rather than read back from 1,000s of result objects at the end.
  private final Map<String, Integer> byOutcome = new TreeMap<>(Map.of(OK, 0, ERROR, 0, TIMEOUT, 0, CANCELLED, 0));
  private final Map<String, Integer> statuses = new TreeMap<>();
  private int answered;
  private long bytes;

  /**
   * @param client   a client whose pool holds {@code call.limit()} connections; closed when the run ends
   * @param onResult called with each URL's result as it is decided (for {@code publish}), may be null
   */
  FetchRun(Vertx vertx, FetchRequest call, HttpClient client, Consumer<JsonObject> onResult) {
    this.vertx = vertx;
    this.call = call;
    this.client = client;
    this.onResult = onResult;
    this.slots = call.targets().stream().map(Slot::new).toArray(Slot[]::new);
    this.decided = new ArrayList<>(slots.length);
  }

  FetchRequest call() {
    return call;
  }

  /** Starts the requests; the Future completes with the reply once every URL has its result. */
  Future<JsonObject> start() {
    deadlineTimer = vertx.setTimer(call.deadlineMs(), id -> {
      deadlineTimer = -1;
      stopAll(TIMEOUT, "the call's deadline of " + call.deadlineMs() + " ms passed");
    });
    fill();
    return outcome.future();
  }

  /** Cancels whatever has not finished (the caller went away). */
  void cancel(String why) {
    stopAll(CANCELLED, why);
  }

  /** Starts URLs until {@code limit} are in flight. A loop, not recursion: thousands may fail at once. */
  private void fill() {
    if (filling) {
      return;
    }
    filling = true;
    try {
      while (!stopping && inFlight < call.limit() && next < slots.length) {
        launch(slots[next++]);
      }
    } finally {
      filling = false;
    }
    if (finished == slots.length) {
      finish();
    }
  }

  private void launch(Slot slot) {
    slot.startNanos = System.nanoTime();
    if (slot.target.problem() != null) {
      decide(slot, ERROR, slot.target.problem());
      return;
    }
    slot.started = true;
    inFlight++;
    slot.timer = vertx.setTimer(call.timeoutMs(), id -> {
      slot.timer = -1;
      abort(slot, TIMEOUT, "no response within " + call.timeoutMs() + " ms");
    });
    client.request(slot.target.options())
      .compose(request -> {
        if (slot.done) {
          // Cancelled while the connection was being made: drop the request before it is sent.
          request.exceptionHandler(ignored -> { });
          request.reset();
          return Future.failedFuture("cancelled");
        }
        slot.request = request;
        // Failures reach us through send()'s Future; without a handler a reset we make would also be logged.
        request.exceptionHandler(ignored -> { });
        return request.send();
      })
      .compose((HttpClientResponse response) -> {
        slot.status = response.statusCode();
        response.handler(chunk -> slot.bytes += chunk.length());
        return response.end();
      })
      .onComplete(read -> {
        if (slot.done) {
          return;
        }
        if (read.succeeded()) {
          boolean ok = slot.status < 400;
          decide(slot, ok ? OK : ERROR, ok ? null : "HTTP " + slot.status);
        } else {
          decide(slot, ERROR, describe(read.cause()));
        }
      });
  }

  /** Ends a request that has not finished: its connection is reset, so the server sees it close. */
  private void abort(Slot slot, String outcome, String why) {
    if (slot.done) {
      return;
    }
    HttpClientRequest request = slot.request;
    decide(slot, outcome, why);
    if (request != null) {
      request.reset();
    }
  }

  private void stopAll(String outcome, String why) {
    if (stopping) {
      return;
    }
    stopping = true;
    for (Slot slot : slots) {
      if (!slot.done) {
        if (!slot.started) {
          slot.startNanos = System.nanoTime();
        }
        abort(slot, outcome, slot.started ? why : why + " before this URL was started");
      }
    }
  }

  /** Records a URL's result, once, and decides what the call does next. */
  private void decide(Slot slot, String outcome, String error) {
    if (slot.done) {
      return;
    }
    slot.done = true;
    if (slot.timer >= 0) {
      vertx.cancelTimer(slot.timer);
      slot.timer = -1;
    }
    if (slot.started) {
      inFlight--;
    }
    finished++;
    JsonObject result = result(slot, outcome, error);
    slot.result = result;
    decided.add(slot);
    byOutcome.merge(outcome, 1, Integer::sum);
    if (slot.status > 0) {
      statuses.merge(String.valueOf(slot.status), 1, Integer::sum);
      answered++;
    }
    bytes += slot.bytes;
    if (onResult != null) {
      onResult.accept(result);
    }
    if (!stopping) {
      if (call.mode() == FetchMode.FIRST && outcome.equals(OK)) {
        winner = result;
        stopAll(CANCELLED, "another request succeeded first");
      } else if (call.mode() == FetchMode.FIRST_ERROR && !outcome.equals(OK)) {
        firstError = result;
        stopAll(CANCELLED, "an earlier request failed");
      }
    }
    fill();
  }

  private JsonObject result(Slot slot, String outcome, String error) {
    JsonObject result = new JsonObject()
      .put("index", slot.target.index())
      .put("url", slot.target.url())
      .put("outcome", outcome)
      .put("ms", millis(System.nanoTime() - slot.startNanos));
    if (slot.status > 0) {
      result.put("status", slot.status);
    }
    if (outcome.equals(OK) || slot.bytes > 0) {
      result.put("bytes", slot.bytes);
    }
    if (error != null) {
      result.put("error", error);
    }
    return result;
  }

  private void finish() {
    if (outcome.future().isComplete()) {
      return;
    }
    // The clock stops at the last answer, before the pool closes (as the peer's timer stops before its session closes).
    double ms = millis(System.nanoTime() - startNanos);
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
    }
    client.close();
    // Slots are in the call's order (a target's index is its position), so only as-completed needs another order.
    List<Object> results = new ArrayList<>(slots.length);
    if (call.mode() == FetchMode.AS_COMPLETED) {
      decided.forEach(slot -> results.add(slot.result));
    } else {
      for (Slot slot : slots) {
        results.add(slot.result);
      }
    }
    JsonObject reply = new JsonObject()
      .put("id", call.id())
      .put("mode", call.mode().spelled())
      .put("limit", call.limit())
      .put("timeoutMs", call.timeoutMs())
      .put("deadlineMs", call.deadlineMs())
      .put("totals", totals(ms))
      .put("results", new JsonArray(results));
    if (call.mode() == FetchMode.FIRST) {
      reply.put("winner", winner);
    } else if (call.mode() == FetchMode.FIRST_ERROR) {
      reply.put("firstError", firstError);
    }
    outcome.complete(reply);
  }

  private JsonObject totals(double ms) {
    return new JsonObject()
      .put("count", slots.length)
      .put("ok", byOutcome.get(OK))
      .put("errors", byOutcome.get(ERROR))
      .put("timeouts", byOutcome.get(TIMEOUT))
      .put("cancelled", byOutcome.get(CANCELLED))
      .put("statuses", new JsonObject(new java.util.LinkedHashMap<>(statuses)))
      .put("bytes", bytes)
      .put("ms", ms)
      .put("perSecond", ms > 0 ? Math.round(answered * 1000.0 / ms) : 0);
  }

  /** A transport failure as one short line: what a person needs to tell a refused port from a bad name. */
  static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      if (cause instanceof UnknownHostException || cause instanceof ConnectException) {
        break;
      }
      cause = cause.getCause();
    }
    if (cause instanceof UnknownHostException) {
      return "unknown host (" + cause.getMessage() + ")";
    }
    if (cause instanceof ConnectException) {
      return "cannot connect (" + cause.getMessage() + ")";
    }
    if (cause instanceof TimeoutException) {
      return "timed out (" + cause.getMessage() + ")";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
