package org.concurrencylab.testsupport;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Waiting in tests: always with a bound, never a bare sleep where an event can be waited for. */
public final class Await {

  private Await() {
  }

  /** The Future's value, failing the test after {@code timeout}. */
  public static <T> T result(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** {@link #result(Future, Duration)} with 30 s. */
  public static <T> T result(Future<T> future) {
    return result(future, Duration.ofSeconds(30));
  }

  /** The Future's failure, failing the test if it succeeds or takes longer than {@code timeout}. */
  public static Throwable failure(Future<?> future, Duration timeout) {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.CancellationException e) {
      return e; // a CompletableFuture rethrows a CancellationException as it is, not wrapped
    } catch (TimeoutException e) {
      throw new AssertionError("no outcome within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /**
   * Polls {@code condition} until it holds, failing after {@code timeout}. For state that no event announces
   * (a process's output, another node's view); prefer waiting on a Future where there is one.
   */
  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }
}
