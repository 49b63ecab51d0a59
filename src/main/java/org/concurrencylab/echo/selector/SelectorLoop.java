package org.concurrencylab.echo.selector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * An event loop written by hand on a {@link Selector}: one thread of its own that waits for channels to
 * become ready and calls their {@link ChannelHandler}. It is the book's listing 3.8 (a {@code select()} loop
 * serving many sockets on one thread) made reusable, and knows nothing of any protocol: the echo lives in
 * {@link SelectorEchoServer} and {@link SelectorEchoConnection}.
 *
 * <p>One turn of the loop: run the tasks queued by {@link #execute} (asyncio's {@code call_soon}), wait in
 * {@code select()} until a channel is ready or a task is queued, then call each ready channel's handler. A
 * handler that throws loses its channel, not the loop (asyncio's default exception handler does the same
 * for a failing callback).
 *
 * <p>Threading: {@link #register} and {@link #close(SelectionKey)} belong to the loop's thread (or to set-up
 * before {@link #start}); {@link #execute} and {@link #shutdown} may be called from any thread.
 *
 * <p>This is the seed of chapter 14's custom event loop. What it would grow there: timers ({@code call_later}:
 * a deadline heap whose earliest entry becomes {@code select()}'s timeout), futures completed on the loop,
 * and tasks that resume a coroutine-like step function when their future completes.
 */
public final class SelectorLoop implements Executor {

  private static final Logger log = LoggerFactory.getLogger(SelectorLoop.class);

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
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
        runTasks();
        // Block until a channel is ready, unless a task came in meanwhile: execute() wakes the selector.
        if (tasks.isEmpty()) {
          selector.select(this::dispatch);
        } else {
          selector.selectNow(this::dispatch);
        }
      }
      runTasks(); // what was queued before shutdown still runs (it may close channels itself)
    } catch (IOException | ClosedSelectorException e) {
      log.error("the selector loop {} failed; closing its channels", thread.getName(), e);
    } finally {
      running = false;
      closeAll();
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = tasks.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.error("a task on the selector loop {} failed", thread.getName(), e);
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
