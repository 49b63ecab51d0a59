package org.concurrencylab.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The failure codes a bus consumer answers with. They are HTTP status codes on purpose: the HTTP layer
 * maps a {@link ReplyException}'s code straight to the response status.
 */
public enum Failure {
  BAD_REQUEST(400, "bad_request"),
  NOT_FOUND(404, "not_found"),
  CONFLICT(409, "conflict"),
  UNPROCESSABLE(422, "unprocessable"),
  TOO_MANY(429, "too_many_requests"),
  INTERNAL(500, "internal"),
  BAD_GATEWAY(502, "bad_gateway"),
  UNAVAILABLE(503, "unavailable"),
  TIMEOUT(504, "timeout");

  private final int code;
  private final String error;

  Failure(int code, String error) {
    this.code = code;
    this.error = error;
  }

  /** The numeric failure code, equal to the HTTP status it maps to. */
  public int code() {
    return code;
  }

  /** The short machine-readable name used as {@code error} in JSON error bodies. */
  public String error() {
    return error;
  }

  /** A reply failure carrying this code and a message a person can read. */
  public ReplyException exception(String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message);
  }

  /**
   * The lab's reading of any failure that came back from a bus request: a consumer's own code, a
   * timeout (504) or nobody listening (503). Anything else counts as internal.
   */
  public static Failure of(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case TIMEOUT:
          return TIMEOUT;
        case NO_HANDLERS:
          return UNAVAILABLE;
        default:
          for (Failure f : values()) {
            if (f.code == reply.failureCode()) {
              return f;
            }
          }
      }
    }
    return INTERNAL;
  }

  /** The message of a failure as a person should read it, naming the address when nobody served it. */
  public static String describe(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      if (reply.failureType() == ReplyFailure.NO_HANDLERS) {
        return "no node serves this request right now (" + reply.getMessage() + ")";
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return "the service did not answer in time (" + reply.getMessage() + ")";
      }
    }
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}
