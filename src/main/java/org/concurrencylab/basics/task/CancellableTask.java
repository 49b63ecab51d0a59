package org.concurrencylab.basics.task;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;

import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running piece of work and the means to stop it: the Java counterpart of an asyncio {@code Task}.
 *
 * <p>{@link #cancel()} asks the work to stop (cancels its timer, resets its request, tells its loop to
 * return). {@link #future()} then fails with a {@link CancellationException}, but only once the work has
 * really stopped, as awaiting a cancelled asyncio task returns only after the coroutine has unwound. Work
 * that never looks at its stop signal cannot be cancelled, in Python or here; the tasks of {@link Tasks}
 * all can.
 *
 * <p>Callbacks of {@link #future()} run on the thread that completes the work or cancels it; the tasks of
 * {@link Tasks} complete on the Vert.x context that created them.
 *
 * @param <T> the result of the work
 */
public final class CancellableTask<T> {

  private final Vertx vertx;
  private final Runnable stopWork;
  private final AtomicBoolean cancelRequested = new AtomicBoolean();
  private final Promise<T> outcome = Promise.promise();

  /**
   * Wraps work already started.
   *
   * @param vertx    the Vert.x instance whose timers {@link #waitFor} uses
   * @param work     completes when the work ends, whether it finished, failed or was stopped
   * @param stopWork asks the work to stop; {@code work} must complete soon after. Called at most once.
   */
  public CancellableTask(Vertx vertx, Future<T> work, Runnable stopWork) {
    this.vertx = vertx;
    this.stopWork = stopWork;
    work.onComplete((result, failure) -> {
      if (cancelRequested.get()) {
        outcome.tryFail(new CancellationException("the task was cancelled"));
      } else {
        settle(outcome, result, failure);
      }
    });
  }

  /** Completes {@code promise} with an outcome unless it is already complete (a cancelled shield, say). */
  private static <R> void settle(Promise<R> promise, R result, Throwable failure) {
    if (failure == null) {
      promise.tryComplete(result);
    } else {
      promise.tryFail(failure);
    }
  }

  /** The result of the work; a {@link CancellationException} once cancelled work has stopped. */
  public Future<T> future() {
    return outcome.future();
  }

  /**
   * Asks the work to stop, as {@code task.cancel()} does in asyncio.
   *
   * @return false when the task had already finished or was already cancelled
   */
  public boolean cancel() {
    if (outcome.future().isComplete() || !cancelRequested.compareAndSet(false, true)) {
      return false;
    }
    stopWork.run();
    return true;
  }

  /** True once {@link #cancel()} has been called on an unfinished task. */
  public boolean isCancelled() {
    return cancelRequested.get();
  }

  /**
   * The book's {@code asyncio.wait_for(task, timeout)}: the task's result if it comes within the timeout;
   * otherwise the task is cancelled and, once it has stopped, the returned future fails with a
   * {@link TimeoutException}.
   */
  public Future<T> waitFor(long timeout, TimeUnit unit) {
    Promise<T> caller = Promise.promise();
    AtomicBoolean timedOut = new AtomicBoolean();
    Timer deadline = vertx.timer(timeout, unit);
    deadline.onSuccess(fired -> {
      timedOut.set(true);
      cancel();
    });
    future().onComplete(ar -> {
      deadline.cancel();
      if (timedOut.get()) {
        caller.tryFail(new TimeoutException("no result within " + unit.toMillis(timeout) + " ms; the task was cancelled"));
      } else {
        settle(caller, ar.result(), ar.cause());
      }
    });
    return caller.future();
  }

  /**
   * The book's {@code asyncio.shield(task)}: a view of this task whose cancellation (by the caller, or by a
   * {@link #waitFor} timeout) fails only the view at once, while this task's work carries on to its result.
   */
  public CancellableTask<T> shield() {
    Promise<T> view = Promise.promise();
    future().onComplete((result, failure) -> settle(view, result, failure));
    return new CancellableTask<>(vertx, view.future(),
      () -> view.tryFail(new CancellationException("the shield was cancelled; the work goes on")));
  }
}
