package org.concurrencylab.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Small helpers that keep every bus exchange inside the contract: each request has a timeout, each
 * consumer answers with a body or a {@link Failure}, and an unexpected exception in a consumer becomes a
 * 500 reply instead of a request left waiting.
 */
public final class Bus {

  /** The timeout of a request when the caller names none. */
  public static final long DEFAULT_TIMEOUT_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(Bus.class);

  private Bus() {
  }

  /** Sends {@code body} to {@code address} and waits at most {@code timeoutMs} for the reply body. */
  public static <T> Future<T> request(Vertx vertx, String address, Object body, long timeoutMs) {
    return vertx.eventBus()
      .<T>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
      .map(Message::body);
  }

  /** {@link #request(Vertx, String, Object, long)} with the default timeout. */
  public static <T> Future<T> request(Vertx vertx, String address, Object body) {
    return request(vertx, address, body, DEFAULT_TIMEOUT_MS);
  }

  /**
   * A request that is safe to repeat (a read, a status, a ping), sent again when an attempt times out, within
   * {@code budgetMs} in all. This is what keeps such requests answered when a node dies: the clustered bus
   * still sends to a node that has just died (round robin over the nodes that serve the address) until the
   * cluster notices, and those messages are lost without a failure, so their requests would time out. A killed
   * process is noticed within about a second (its connections are refused); a machine that vanishes, after
   * Hazelcast's heartbeat timeout ({@code hazelcast.max.no.heartbeat.seconds}, 6 s in {@code conf/cluster.xml}).
   * Each attempt waits at most {@code attemptMs} and the next goes to the next node in turn. Only the bus's own
   * timeouts are retried: a failure the service answered, or no node serving the address (503), is final.
   */
  public static <T> Future<T> requestIdempotent(Vertx vertx, String address, Object body, long attemptMs,
                                                long budgetMs) {
    if (attemptMs < 1 || budgetMs < attemptMs) {
      throw new IllegalArgumentException("need 1 <= attemptMs <= budgetMs, not " + attemptMs + " / " + budgetMs);
    }
    return attempt(vertx, address, body, attemptMs, System.nanoTime() + budgetMs * 1_000_000);
  }

  private static <T> Future<T> attempt(Vertx vertx, String address, Object body, long attemptMs, long deadlineNanos) {
    long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
    return Bus.<T>request(vertx, address, body, Math.max(1, Math.min(attemptMs, leftMs)))
      .recover(failure -> {
        boolean lost = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
        if (lost && deadlineNanos - System.nanoTime() >= 1_000_000) {
          log.debug("{}: an attempt timed out; sending again", address);
          return attempt(vertx, address, body, attemptMs, deadlineNanos);
        }
        return Future.failedFuture(failure);
      });
  }

  /**
   * Registers a request-reply consumer whose handler returns a Future of the reply. A failed Future with
   * a {@link io.vertx.core.eventbus.ReplyException} is passed on with its code; any other failure, or an
   * exception thrown by the handler, is logged and answered as {@link Failure#INTERNAL}.
   *
   * @return a Future that completes when the consumer is registered (cluster-wide when clustered)
   */
  public static <T> Future<Void> serve(Vertx vertx, String address, Function<Message<T>, Future<?>> handler) {
    return register(vertx, address, handler).completion();
  }

  /**
   * {@link #serve(Vertx, String, Function)} for a consumer its owner unregisters later (per-object addresses
   * such as {@code process.kill.<id>}): the same replies and failures, and the consumer itself.
   */
  public static <T> MessageConsumer<T> register(Vertx vertx, String address, Function<Message<T>, Future<?>> handler) {
    return vertx.eventBus().<T>consumer(address, message -> {
      Future<?> reply;
      try {
        reply = handler.apply(message);
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onComplete(
        message::reply,
        failure -> message.fail(codeOf(address, failure), Failure.describe(failure)));
    });
  }

  private static int codeOf(String address, Throwable failure) {
    Failure known = Failure.of(failure);
    if (known == Failure.INTERNAL && !(failure instanceof io.vertx.core.eventbus.ReplyException)) {
      log.error("{} failed while handling a request", address, failure);
    }
    return known.code();
  }

  /** A JSON request body, or a 400 when the body is missing or not an object. */
  public static JsonObject jsonBody(Message<?> message) {
    if (message.body() instanceof JsonObject json) {
      return json;
    }
    throw Failure.BAD_REQUEST.exception("the request body must be a JSON object");
  }
}
