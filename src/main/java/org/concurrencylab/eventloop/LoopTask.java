package org.concurrencylab.eventloop;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A task: a body started on the loop in a later turn, whose future is the task's (the book's {@code CustomTask},
 * 14.11, like asyncio's {@code create_task}). Cancelling the task before it starts means the body never runs;
 * cancelling it later cancels the future the body is waiting on, which stops it there.
 *
 * <p>Bodies are written with {@link LoopFuture#then} in place of {@code await}, and with {@link #repeat} in place
 * of {@code while ...: await ...}, which loops without growing a chain of futures however long it runs.
 */
public final class LoopTask {

  private LoopTask() {
  }

  /** Schedules {@code body} to start in a later turn of the loop; the returned future is the task. */
  public static <T> LoopFuture<T> start(Executor loop, Supplier<LoopFuture<T>> body) {
    LoopFuture<T> task = new LoopFuture<>(loop);
    loop.execute(() -> {
      if (task.isDone()) {
        return; // cancelled before it started
      }
      LoopFuture<T> running;
      try {
        running = body.get();
      } catch (RuntimeException e) {
        task.fail(e);
        return;
      }
      task.whenCancelled(running::cancel);
      running.onDone(task::settleAs);
    });
    return task;
  }

  /**
   * Runs {@code step} again each time its future succeeds with {@code true}, and completes when one succeeds with
   * {@code false}; a failed or cancelled step ends it the same way. Cancelling the result cancels the current step.
   */
  public static LoopFuture<Void> repeat(Executor loop, Supplier<LoopFuture<Boolean>> step) {
    LoopFuture<Void> all = new LoopFuture<>(loop);
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      LoopFuture<Boolean> current;
      try {
        current = step.get();
      } catch (RuntimeException e) {
        all.fail(e);
        return;
      }
      all.whenCancelled(current::cancel);
      current.onDone(done -> {
        if (all.isDone()) {
          return;
        }
        if (!done.succeeded()) {
          all.settleAs(done);
        } else if (Boolean.TRUE.equals(done.result())) {
          next[0].run();
        } else {
          all.complete(null);
        }
      });
    };
    loop.execute(next[0]);
    return all;
  }
}
