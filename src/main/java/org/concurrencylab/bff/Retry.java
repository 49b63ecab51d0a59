package org.concurrencylab.bff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * The book's {@code retry(coro, max_retries, timeout, retry_interval)} (listing 10.9): up to {@code attempts}
 * tries, each bounded by {@code timeoutMs}, {@code intervalMs} apart; then {@link TooManyRetries}. As in the
 * peer, there is no pause after the last attempt.
 */
final class Retry {

  /** Every attempt failed; the cause is the last attempt's failure. */
  static final class TooManyRetries extends RuntimeException {
    TooManyRetries(int attempts, Throwable last) {
      super(attempts + " attempt(s) failed, the last with: " + last.getMessage(), last, false, false);
    }
  }

  private final Vertx vertx;
  private final BffSettings.RetrySettings settings;
  private final Runnable onFailedAttempt;

  Retry(Vertx vertx, BffSettings.RetrySettings settings, Runnable onFailedAttempt) {
    this.vertx = vertx;
    this.settings = settings;
    this.onFailedAttempt = onFailedAttempt;
  }

  /** Runs {@code attempt} (given its timeout) until it succeeds or the attempts are used up. */
  <T> Future<T> run(LongFunction<Future<T>> attempt) {
    return run(attempt, 1);
  }

  private <T> Future<T> run(LongFunction<Future<T>> attempt, int number) {
    // The call gets the timeout to give up on its own (closing its request); timeout() makes it exact.
    return attempt.apply(settings.timeoutMs()).timeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
      .recover(failure -> {
        onFailedAttempt.run();
        if (number >= settings.attempts()) {
          return Future.failedFuture(new TooManyRetries(number, failure));
        }
        Future<Void> pause = settings.intervalMs() > 0 ? vertx.timer(settings.intervalMs()) : Future.succeededFuture();
        return pause.compose(v -> run(attempt, number + 1));
      });
  }
}
