package org.concurrencylab.cluster;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.measure.Latencies;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The event-bus load of {@code bench cluster}, run on one event loop of a clustered Vert.x that does not serve
 * the addresses it loads (so every message crosses to another node).
 *
 * <ul>
 *   <li>{@link Mode#REQUEST}: {@code outstanding} request chains to {@code cluster.ping}: each sends, waits for
 *       the reply, records its latency and sends again (a closed loop; 1 outstanding = the round-trip time).</li>
 *   <li>{@link Mode#SEND}: one-way messages to {@code cluster.sink}, at most {@code outstanding} not yet
 *       written to the socket. The rate counts what the responder received: it is asked for its count (a
 *       request behind the messages on the same connection, so it sees them all) when measuring starts and
 *       after the last message, and a message sent but not received is an error.</li>
 * </ul>
 * Messages of the warm-up are not counted.
 *
 * <p>Bodies are {@link Body#JSON} (what the lab's services exchange) or {@link Body#BUFFER} (the same sequence
 * number and padding as bytes: the bus's own cost, without a JSON encode and decode on each side).
 */
final class BusLoadClient {

  enum Mode { REQUEST, SEND }

  /** What each message carries: a sequence number and {@code size} bytes of padding. */
  enum Body { JSON, BUFFER }

  /** What one run measured: {@code messages} round trips (REQUEST) or messages received (SEND). */
  record Result(Mode mode, Body body, String address, String responder, int outstanding, int size,
                double seconds, long messages, long errors, Latencies latencies) {

    double perSecond() {
      return seconds > 0 ? messages / seconds : 0;
    }

    JsonObject json() {
      JsonObject json = new JsonObject()
        .put("bench", "cluster")
        .put("mode", mode.name().toLowerCase(java.util.Locale.ROOT))
        .put("body", body.name().toLowerCase(java.util.Locale.ROOT))
        .put("address", address)
        .put("responder", responder)
        .put("outstanding", outstanding)
        .put("size", size)
        .put("seconds", round(seconds, 1000))
        .put("messages", messages)
        .put("per_s", round(perSecond(), 10))
        .put("errors", errors);
      if (mode == Mode.REQUEST) {
        json.put("p50_ms", round(latencies.percentileMillis(50), 1000))
          .put("p99_ms", round(latencies.percentileMillis(99), 1000))
          .put("max_ms", round(latencies.maxMillis(), 1000));
      }
      return json;
    }

    private static double round(double value, int scale) {
      return Math.round(value * scale) / (double) scale;
    }
  }

  /** A request that waits this long is counted as an error (a live responder answers in microseconds). */
  static final long REQUEST_TIMEOUT_MS = 10_000;
  /** Sends a chain makes in a row when each completes at once. */
  private static final int BURST = 16;

  private final Vertx vertx;
  private final Mode mode;
  private final Body bodyType;
  private final String address;
  private final int outstanding;
  private final int size;
  private final Duration warmup;
  private final Duration duration;
  private final String padding;
  private final byte[] paddingBytes;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS);
  private final Latencies latencies = new Latencies();
  private Context context;
  private Promise<Result> done;
  private MessageProducer<Object> sink;
  private boolean measuring;
  private boolean stopping;
  private int running;
  private long sequence;
  /** Round trips, or (SEND) the responder's count at the start, negated, until the end. */
  private volatile long counted;
  private long errors;
  private long measureStartNanos;
  private long measureEndNanos;
  private volatile long sentInWindow;
  private String responder = "";

  BusLoadClient(Vertx vertx, Mode mode, String address, int outstanding, int size, Duration warmup,
                Duration duration) {
    this(vertx, mode, Body.JSON, address, outstanding, size, warmup, duration);
  }

  BusLoadClient(Vertx vertx, Mode mode, Body bodyType, String address, int outstanding, int size, Duration warmup,
                Duration duration) {
    this.vertx = vertx;
    this.mode = mode;
    this.bodyType = bodyType;
    this.address = address;
    this.outstanding = outstanding;
    this.size = size;
    this.warmup = warmup;
    this.duration = duration;
    this.padding = "x".repeat(size);
    this.paddingBytes = padding.getBytes(StandardCharsets.US_ASCII);
  }

  /** Round trips (REQUEST) or messages sent (SEND) since the warm-up, for a progress display. */
  long progress() {
    return mode == Mode.REQUEST ? counted : sentInWindow;
  }

  /** Runs the load: warm-up, then the measured duration. Fails if the address has no responder. */
  Future<Result> run() {
    context = vertx.getOrCreateContext();
    done = Promise.promise();
    context.runOnContext(v -> Bus.<JsonObject>request(vertx, address, jsonBody(), REQUEST_TIMEOUT_MS)
      .onFailure(done::fail)
      .onSuccess(first -> {
        responder = first.getString("node", "");
        if (mode == Mode.SEND) {
          sink = vertx.eventBus().sender(address);
        }
        vertx.setTimer(Math.max(1, warmup.toMillis()), id -> startMeasuring());
        for (int i = 0; i < outstanding; i++) {
          running++;
          next();
        }
      }));
    return done.future();
  }

  private void startMeasuring() {
    if (mode == Mode.REQUEST) {
      measuring = true;
      measureStartNanos = System.nanoTime();
      vertx.setTimer(Math.max(1, duration.toMillis()), id -> stop());
      return;
    }
    sinkCount().onComplete(count -> {
      // Counted by the responder from here: messages it had received before this are warm-up.
      counted = -count;
      measuring = true;
      measureStartNanos = System.nanoTime();
      vertx.setTimer(Math.max(1, duration.toMillis()), id -> stop());
    }, this::fail);
  }

  private void stop() {
    stopping = true;
    measureEndNanos = System.nanoTime();
  }

  private Object body() {
    if (bodyType == Body.JSON) {
      return jsonBody();
    }
    return Buffer.buffer(Long.BYTES + paddingBytes.length).appendLong(sequence++).appendBytes(paddingBytes);
  }

  private JsonObject jsonBody() {
    JsonObject body = new JsonObject().put("seq", sequence++);
    return size > 0 ? body.put("pad", padding) : body;
  }

  /**
   * Runs one chain: sends, and sends again when that completes. A send that completed at once (a write the
   * socket took straight away) loops here rather than recursing, which would grow the stack without bound, but
   * only {@link #BURST} times: then the chain goes on from the event loop's queue, so the other chains, the
   * socket's reads and the stop timer get their turn.
   */
  private void next() {
    for (int i = 0; i < BURST && !stopping; i++) {
      Future<?> sent = mode == Mode.REQUEST ? request() : write();
      if (!sent.isComplete()) {
        // Back on the load's context: a reply's callback runs on the event loop without it, and a request sent
        // from there would make Vert.x create a new context for its reply handler each time.
        sent.onComplete(ignored -> context.runOnContext(v -> next()));
        return;
      }
    }
    if (stopping) {
      chainEnded();
    } else {
      context.runOnContext(v -> next());
    }
  }

  private Future<?> request() {
    long sent = System.nanoTime();
    boolean counts = measuring;
    return vertx.eventBus().request(address, body(), options).andThen(reply -> {
      if (reply.failed()) {
        errors++;
      } else if (counts) {
        latencies.recordSince(sent);
        counted++;
      }
    });
  }

  private Future<?> write() {
    if (measuring) {
      sentInWindow++;
    }
    return sink.write(body()).andThen(written -> {
      if (written.failed()) {
        errors++;
      }
    });
  }

  private void chainEnded() {
    if (--running > 0) {
      return;
    }
    if (mode == Mode.REQUEST) {
      finish(measureEndNanos - measureStartNanos);
      return;
    }
    // Every message is written; the count request queues behind them on the same connection.
    sinkCount().onComplete(count -> {
      long received = counted + count;
      errors += Math.max(0, sentInWindow - received);
      counted = received;
      finish(System.nanoTime() - measureStartNanos);
    }, this::fail);
  }

  private Future<Long> sinkCount() {
    return Bus.<JsonObject>request(vertx, address, new JsonObject(), REQUEST_TIMEOUT_MS)
      .map(reply -> reply.getLong("received"));
  }

  private void finish(long nanos) {
    done.tryComplete(new Result(mode, bodyType, address, responder, outstanding, size, nanos / 1e9, counted, errors,
      latencies));
  }

  private void fail(Throwable failure) {
    done.tryFail(failure);
  }

  static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (seconds * TimeUnit.SECONDS.toNanos(1)));
  }
}
