package org.concurrencylab.eventloop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An event loop written by hand on a {@link Selector}: one thread of its own that waits for channels to
 * become ready, runs callbacks, and keeps timers. It began as the selector echo's loop (the book's listing
 * 3.8, a {@code select()} loop serving many sockets on one thread) and grew into chapter 14's custom event loop
 * (14.5-14.13): call-soon callbacks, timers, {@link LoopFuture futures} and {@link LoopTask tasks}, and
 * {@link AsyncSockets} to await sockets with. It knows nothing of any protocol.
 *
 * <p>One turn of the loop, as asyncio's {@code _run_once}:
 * <ol>
 *   <li>wait in {@code select()}: not at all when callbacks are ready, until the earliest timer's deadline
 *       when there is one, else until a channel is ready or a callback is queued from another thread;</li>
 *   <li>call the handler of each ready channel;</li>
 *   <li>make the timers whose deadline has passed ready, in deadline order;</li>
 *   <li>run the callbacks that were ready when this step began, in the order they were queued. A callback
 *       queued meanwhile waits for the next turn, after the next {@code select()}: a callback that keeps
 *       rescheduling itself cannot starve timers and sockets.</li>
 * </ol>
 * A callback or handler that throws is logged (and a handler loses its channel); the loop goes on, as
 * asyncio's default exception handler does.
 *
 * <p>Threading: {@link #register}, {@link #close(SelectionKey)}, {@link #callSoon}, {@link #callLater} and
 * futures belong to the loop's thread (or to set-up before {@link #start}); {@link #execute} (asyncio's
 * {@code call_soon_threadsafe}) and {@link #shutdown} may be called from any thread.
 */
public final class SelectorLoop implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SelectorLoop.class);

  private final Selector selector;
  private final Thread thread;
  /** Callbacks queued from any thread ({@link #execute}); moved to {@link #ready} each turn. */
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** Callbacks to run this turn or the next, in order; the loop's thread only. */
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  private final PriorityQueue<TimerHandle> timers = new PriorityQueue<>();
  private long timerSequence;
  private volatile boolean running;
  private volatile boolean started;

  private SelectorLoop(Selector selector, String name) {
    this.selector = selector;
    this.thread = new Thread(this::run, name);
    // A loop nobody stopped must not keep the JVM alive; the verticle that owns it stops it in its stop().
    this.thread.setDaemon(true);
  }

  /** A loop whose thread is called {@code name}; it runs once {@link #start()} is called. */
  public static SelectorLoop open(String name) throws IOException {
    return new SelectorLoop(Selector.open(), name);
  }

  /** Starts the loop's thread. */
  public void start() {
    running = true;
    started = true;
    thread.start();
  }

  Selector selector() {
    return selector;
  }

  /** True on the loop's own thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /**
   * Registers a channel (made non-blocking here) for the operations in {@code ops}; {@code handler} is called
   * whenever it is ready for one of them. On the loop's thread, or before the loop starts.
   */
  public SelectionKey register(SelectableChannel channel, int ops, ChannelHandler handler) throws IOException {
    checkLoopThread();
    channel.configureBlocking(false);
    return channel.register(selector, ops, handler);
  }

  /** Closes a registered channel and tells its handler ({@link ChannelHandler#closed}, no cause). */
  public void close(SelectionKey key) {
    close(key, null);
  }

  /**
   * Runs {@code task} on the loop's thread at the start of its next turn, in submission order (asyncio's
   * {@code call_soon_threadsafe}). A task that throws is logged; the loop goes on.
   *
   * @throws RejectedExecutionException once the loop has stopped
   */
  @Override
  public void execute(Runnable task) {
    if (started && !running) {
      throw new RejectedExecutionException("the selector loop " + thread.getName() + " has stopped");
    }
    tasks.add(task);
    selector.wakeup();
  }

  /**
   * Runs {@code callback} on the loop in a later turn, after the callbacks already queued (asyncio's
   * {@code call_soon}). On the loop's thread; from another thread it is {@link #execute}.
   */
  public void callSoon(Runnable callback) {
    if (inLoop()) {
      ready.add(callback);
    } else {
      execute(callback);
    }
  }

  /**
   * Runs {@code callback} on the loop once {@code delay} has passed (asyncio's {@code call_later}): never
   * earlier, and later by at most the current turn's work plus the selector's millisecond resolution.
   * Timers due at the same time run in the order they were set. On the loop's thread.
   */
  public TimerHandle callLater(Duration delay, Runnable callback) {
    checkLoopThread();
    TimerHandle timer = new TimerHandle(System.nanoTime() + Math.max(0, delay.toNanos()), timerSequence++, callback);
    timers.add(timer);
    return timer;
  }

  /** A new pending future whose callbacks run on this loop. */
  public <T> LoopFuture<T> newFuture() {
    return new LoopFuture<>(this::callSoon);
  }

  /** A future that succeeds after {@code delay} (asyncio's {@code sleep}); cancelling it cancels the timer. */
  public LoopFuture<Void> sleep(Duration delay) {
    LoopFuture<Void> slept = newFuture();
    TimerHandle timer = callLater(delay, () -> slept.complete(null));
    slept.whenCancelled(timer::cancel);
    return slept;
  }

  /** Starts a task on this loop ({@link LoopTask#start}). */
  public <T> LoopFuture<T> startTask(java.util.function.Supplier<LoopFuture<T>> body) {
    return LoopTask.start(this::callSoon, body);
  }

  /**
   * Stops the loop: it finishes its current turn, closes every channel still registered (their handlers
   * hear of it) and its selector, and its thread ends. Waits at most {@code bound} for the thread to end.
   *
   * @return true when the thread ended within the bound
   */
  public boolean shutdown(Duration bound) throws InterruptedException {
    if (!started) {
      closeAll();
      return true;
    }
    running = false;
    selector.wakeup();
    thread.join(Math.max(1, bound.toMillis()));
    if (thread.isAlive()) {
      log.warn("the selector loop {} did not stop within {}", thread.getName(), bound);
      return false;
    }
    return true;
  }

  private void run() {
    try {
      while (running) {
        runOnce();
      }
      moveQueuedTasks();
      runReady(ready.size()); // what was queued before shutdown still runs (it may close channels itself)
    } catch (IOException | ClosedSelectorException e) {
      log.error("the selector loop {} failed; closing its channels", thread.getName(), e);
    } finally {
      running = false;
      closeAll();
    }
  }

  /** One turn: wait for I/O or the next timer, handle ready channels, due timers, then the ready callbacks. */
  private void runOnce() throws IOException {
    moveQueuedTasks();
    if (!ready.isEmpty()) {
      selector.selectNow(this::dispatch);
    } else if (!timers.isEmpty()) {
      long waitNanos = timers.peek().deadlineNanos - System.nanoTime();
      if (waitNanos <= 0) {
        selector.selectNow(this::dispatch);
      } else {
        // select() counts in milliseconds (and 0 would mean forever): round up, so a timer is never early.
        selector.select(this::dispatch, Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999)));
      }
    } else {
      // Block until a channel is ready; execute() wakes the selector for a callback from another thread.
      selector.select(this::dispatch);
    }
    long now = System.nanoTime();
    while (!timers.isEmpty() && timers.peek().deadlineNanos <= now) {
      TimerHandle due = timers.poll();
      if (!due.isCancelled()) {
        ready.add(due.callback);
      }
    }
    moveQueuedTasks();
    runReady(ready.size());
  }

  private void moveQueuedTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      ready.add(task);
    }
  }

  /** Runs the first {@code count} ready callbacks; those they queue wait for the next turn. */
  private void runReady(int count) {
    for (int i = 0; i < count; i++) {
      Runnable callback = ready.poll();
      try {
        callback.run();
      } catch (RuntimeException e) {
        log.error("a callback on the selector loop {} failed", thread.getName(), e);
      }
    }
  }

  private void dispatch(SelectionKey key) {
    try {
      ((ChannelHandler) key.attachment()).ready(key);
    } catch (IOException e) {
      // The peer went away (reset, broken pipe): routine for a server, so only a debug line.
      log.debug("closing {}: {}", key.channel(), e.toString());
      close(key, e);
    } catch (RuntimeException e) {
      log.warn("a handler on the selector loop {} failed; closing its channel {}, the others go on",
        thread.getName(), key.channel(), e);
      close(key, e);
    }
  }

  private void close(SelectionKey key, Throwable cause) {
    if (!key.isValid() && !key.channel().isOpen()) {
      return; // closed already: the handler has heard of it
    }
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException e) {
      log.debug("closing {}: {}", key.channel(), e.toString());
    }
    try {
      ((ChannelHandler) key.attachment()).closed(key, cause);
    } catch (RuntimeException e) {
      log.error("a handler on the selector loop {} failed while closing", thread.getName(), e);
    }
  }

  private void closeAll() {
    List<SelectionKey> keys;
    try {
      keys = new ArrayList<>(selector.keys());
    } catch (ClosedSelectorException e) {
      return;
    }
    keys.forEach(this::close);
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("closing the selector of {}: {}", thread.getName(), e.toString());
    }
  }

  private void checkLoopThread() {
    if (started && !inLoop()) {
      throw new IllegalStateException("call this on the selector loop's thread (use execute)");
    }
  }
}
