package org.concurrencylab.eventloop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The result of an operation that finishes later, on one event loop: the book's {@code CustomFuture} (14.8),
 * shaped like asyncio's {@code Future}. It is completed, failed or cancelled once; callbacks added with
 * {@link #onDone} run on the loop, in the order they were added, always in a later turn of the loop (never
 * inside {@code complete}), as asyncio schedules them with {@code call_soon}.
 *
 * <p>Not thread-safe: create, complete and observe it on its loop's thread (other threads hand results over
 * with the loop's {@code execute}).
 *
 * <p>Composition stands in for {@code await}: {@link #then} runs the next step when this one succeeds and gives
 * a future for the whole chain; cancelling that future cancels the step the chain is waiting on, so a cancelled
 * task stops where it stands, like a {@code CancelledError} raised at an {@code await}.
 */
public final class LoopFuture<T> {

  private enum State { PENDING, SUCCEEDED, FAILED, CANCELLED }

  private final Executor loop;
  private State state = State.PENDING;
  private T value;
  private Throwable failure;
  private List<Consumer<LoopFuture<T>>> callbacks = new ArrayList<>();
  /** What cancelling this future cancels first: the step a chain is waiting on (see {@link #then}). */
  private Runnable onCancel;

  LoopFuture(Executor loop) {
    this.loop = loop;
  }

  /** A future already succeeded with {@code value}. */
  public static <T> LoopFuture<T> succeeded(Executor loop, T value) {
    LoopFuture<T> future = new LoopFuture<>(loop);
    future.complete(value);
    return future;
  }

  /** A future already failed with {@code failure}. */
  public static <T> LoopFuture<T> failed(Executor loop, Throwable failure) {
    LoopFuture<T> future = new LoopFuture<>(loop);
    future.fail(failure);
    return future;
  }

  public boolean isDone() {
    return state != State.PENDING;
  }

  public boolean isCancelled() {
    return state == State.CANCELLED;
  }

  public boolean succeeded() {
    return state == State.SUCCEEDED;
  }

  /** The value of a succeeded future. */
  public T result() {
    if (state != State.SUCCEEDED) {
      throw new IllegalStateException("the future has " + (state == State.PENDING ? "not finished" : "no value: " + state));
    }
    return value;
  }

  /** The failure of a failed future; a {@link CancellationException} for a cancelled one; null otherwise. */
  public Throwable failure() {
    return state == State.CANCELLED ? new CancellationException("cancelled") : failure;
  }

  /** Sets the value; false when the future was already done (a cancelled operation may still finish). */
  public boolean complete(T result) {
    if (isDone()) {
      return false;
    }
    value = result;
    finish(State.SUCCEEDED);
    return true;
  }

  /** Sets the failure; false when the future was already done. */
  public boolean fail(Throwable cause) {
    if (isDone()) {
      return false;
    }
    failure = cause;
    finish(State.FAILED);
    return true;
  }

  /**
   * Cancels the future, and first the step it waits on, if any. Its callbacks then see it cancelled.
   *
   * @return false when it was already done
   */
  public boolean cancel() {
    if (isDone()) {
      return false;
    }
    Runnable first = onCancel;
    onCancel = null;
    if (first != null) {
      first.run();
    }
    if (isDone()) {
      return state == State.CANCELLED;
    }
    finish(State.CANCELLED);
    return true;
  }

  /** Calls {@code callback} with this future once it is done, in a later turn of the loop. */
  public LoopFuture<T> onDone(Consumer<LoopFuture<T>> callback) {
    if (isDone()) {
      loop.execute(() -> callback.accept(this));
    } else {
      callbacks.add(callback);
    }
    return this;
  }

  /**
   * The next step: when this future succeeds, {@code next} is called with its value and the returned future
   * completes as the step's future does; a failure or cancellation passes through. Cancelling the returned
   * future cancels this one while it is pending, or the step's future once it runs.
   */
  public <U> LoopFuture<U> then(Function<? super T, LoopFuture<U>> next) {
    LoopFuture<U> chain = new LoopFuture<>(loop);
    if (isDone()) {
      // Like awaiting a finished asyncio future: no turn of the loop is spent waiting for what is there.
      chain.continueWith(this, next);
      return chain;
    }
    chain.onCancel = this::cancel;
    onDone(done -> chain.continueWith(done, next));
    return chain;
  }

  /** The chain's next step, once {@code done} (the step before) has settled. */
  private <S> void continueWith(LoopFuture<S> done, Function<? super S, LoopFuture<T>> next) {
    if (isDone()) {
      return;
    }
    if (!done.succeeded()) {
      settleAs(done);
      return;
    }
    LoopFuture<T> step;
    try {
      step = next.apply(done.value);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    if (step.isDone()) {
      settleAs(step);
      return;
    }
    onCancel = step::cancel;
    step.onDone(this::settleAs);
  }

  /** {@link #then} for a step that needs no waiting. */
  public <U> LoopFuture<U> map(Function<? super T, U> next) {
    return then(value -> succeeded(loop, next.apply(value)));
  }

  /** Settles this future the way {@code other} settled (a task takes its body's outcome). */
  void settleAs(LoopFuture<?> other) {
    switch (other.state) {
      case SUCCEEDED -> {
        @SuppressWarnings("unchecked")
        T passed = (T) other.value;
        complete(passed);
      }
      case FAILED -> fail(other.failure);
      case CANCELLED -> {
        onCancel = null;
        cancel();
      }
      default -> throw new IllegalStateException("not done");
    }
  }

  /** Asks the future to run {@code action} when it is cancelled, before its callbacks (e.g. stop watching a socket). */
  void whenCancelled(Runnable action) {
    onCancel = action;
  }

  private void finish(State done) {
    state = done;
    onCancel = null;
    List<Consumer<LoopFuture<T>>> waiting = callbacks;
    callbacks = null;
    for (Consumer<LoopFuture<T>> callback : waiting) {
      loop.execute(() -> callback.accept(this));
    }
  }
}
