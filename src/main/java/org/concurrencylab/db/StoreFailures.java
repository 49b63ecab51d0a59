package org.concurrencylab.db;

import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.pgclient.PgException;
import org.concurrencylab.bus.Failure;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * How a database failure reads on the bus: bad input that PostgreSQL refused is a 400, a missing
 * referenced row a 422, a database that cannot be reached (refused, closed, restarting, pool exhausted) a
 * 503 the caller may retry. Anything else stays an internal error and is logged by {@code Bus.serve}.
 */
final class StoreFailures {

  private StoreFailures() {
  }

  static Throwable toBus(Throwable failure) {
    if (failure instanceof ReplyException) {
      return failure;
    }
    if (failure instanceof PgException pg) {
      return fromSqlState(pg);
    }
    if (isUnavailable(failure)) {
      return Failure.UNAVAILABLE.exception("the database is unavailable: " + Failure.describe(failure));
    }
    return failure;
  }

  private static Throwable fromSqlState(PgException pg) {
    String state = pg.getSqlState() == null ? "" : pg.getSqlState();
    switch (state) {
      case "22021": // character_not_in_repertoire: a NUL in a text value
        return Failure.BAD_REQUEST.exception("text values must not contain NUL (\\u0000) characters");
      case "22001": // string_data_right_truncation
      case "22003": // numeric_value_out_of_range
      case "22P02": // invalid_text_representation
      case "23502": // not_null_violation
      case "23514": // check_violation
        return Failure.BAD_REQUEST.exception(pg.getErrorMessage());
      case "23505": // unique_violation
        return Failure.CONFLICT.exception(pg.getErrorMessage());
      case "23503": // foreign_key_violation
        return Failure.UNPROCESSABLE.exception(pg.getErrorMessage());
      default:
        // 08: connection exceptions, 53: insufficient resources, 57P: shutting down / starting up
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
          return Failure.UNAVAILABLE.exception("the database is unavailable: " + pg.getErrorMessage());
        }
        return pg;
    }
  }

  /** Refused or dropped connections, connect and pool timeouts: the client's own failures, not SQL errors. */
  private static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof TimeoutException || t instanceof VertxException) {
        return true;
      }
    }
    return false;
  }
}
