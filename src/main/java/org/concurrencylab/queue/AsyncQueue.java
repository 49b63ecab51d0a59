package org.concurrencylab.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import org.concurrencylab.bus.Failure;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToIntFunction;

/**
 * The book's {@code asyncio.Queue}, {@code PriorityQueue} and {@code LifoQueue} without blocking a thread.
 * {@link #put} waits while the queue is full and {@link #take} while it is empty, each at most a timeout
 * (then it fails with a 504 and leaves no trace); {@link #offer} and {@link #poll} never wait. Waiting
 * producers and consumers are served in arrival order; a consumer that waits gets the next item handed
 * to it directly. A wake-up runs as a new task on the waiter's context (asyncio's {@code call_soon}), so
 * a producer never runs a consumer's code on its own stack. Safe to share between threads.
 *
 * <p>A priority queue orders items by its comparator and equal items by insertion (the book's 12.9 fix:
 * ties never come out in an arbitrary order).
 */
public final class AsyncQueue<T> {

  /** The three orders of chapter 12. */
  public enum Kind { FIFO, PRIORITY, LIFO }

  private interface Store<T> {
    void add(T item);

    T remove();

    int size();
  }

  /**
   * A producer, consumer or joiner waiting until {@code deadline} (System.nanoTime()). Waiters carry no timer
   * of their own: one timer per queue, armed for the earliest deadline, expires them (see {@link #sweep}), so
   * a wait that is answered in time costs no timer to set and cancel, the bulk of a take's cost otherwise.
   */
  private record Waiter<T>(Context context, Promise<T> promise, T item, long deadline, String timeoutMessage) {
    void complete(T value) {
      context.runOnContext(v -> promise.tryComplete(value));
    }

    void fail(Throwable failure) {
      context.runOnContext(v -> promise.tryFail(failure));
    }
  }

  private static final String PUT_TIMED_OUT = "put timed out after waiting for room";
  private static final String TAKE_TIMED_OUT = "take timed out after waiting for an item";
  private static final long NO_TIMER = -1;

  private final Vertx vertx;
  private final Kind kind;
  private final int capacity;
  private final Store<T> store;
  private final ArrayDeque<Waiter<T>> takers = new ArrayDeque<>();
  private final ArrayDeque<Waiter<T>> putters = new ArrayDeque<>();
  private final List<Waiter<Void>> joiners = new ArrayList<>();
  private long unfinished;
  /** The one timer that expires waiters, and the deadline it is armed for (guarded by this). */
  private long timerId = NO_TIMER;
  private long timerDeadline = Long.MAX_VALUE;

  private AsyncQueue(Vertx vertx, Kind kind, int capacity, Store<T> store) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0 (0 = unbounded), not " + capacity);
    }
    this.vertx = vertx;
    this.kind = kind;
    this.capacity = capacity == 0 ? Integer.MAX_VALUE : capacity;
    this.store = store;
  }

  /** First in, first out; {@code capacity} 0 means unbounded. */
  public static <T> AsyncQueue<T> fifo(Vertx vertx, int capacity) {
    ArrayDeque<T> items = new ArrayDeque<>();
    return new AsyncQueue<>(vertx, Kind.FIFO, capacity, new Store<>() {
      public void add(T item) {
        items.addLast(item);
      }

      public T remove() {
        return items.pollFirst();
      }

      public int size() {
        return items.size();
      }
    });
  }

  /** Last in, first out (the book's 12.10). */
  public static <T> AsyncQueue<T> lifo(Vertx vertx, int capacity) {
    ArrayDeque<T> items = new ArrayDeque<>();
    return new AsyncQueue<>(vertx, Kind.LIFO, capacity, new Store<>() {
      public void add(T item) {
        items.addFirst(item);
      }

      public T remove() {
        return items.pollFirst();
      }

      public int size() {
        return items.size();
      }
    });
  }

  /** Smallest first by {@code order}; equal items in insertion order. */
  public static <T> AsyncQueue<T> priority(Vertx vertx, int capacity, Comparator<? super T> order) {
    record Entry<T>(T item, long sequence) {
    }
    // One comparator, not a chain of comparing().thenComparing(): it runs ~log2(n) times per put and take.
    PriorityQueue<Entry<T>> items = new PriorityQueue<>((a, b) -> {
      int byItem = order.compare(a.item(), b.item());
      return byItem != 0 ? byItem : Long.compare(a.sequence(), b.sequence());
    });
    return new AsyncQueue<>(vertx, Kind.PRIORITY, capacity, new Store<>() {
      private long sequence;

      public void add(T item) {
        items.add(new Entry<>(item, sequence++));
      }

      public T remove() {
        Entry<T> entry = items.poll();
        return entry == null ? null : entry.item();
      }

      public int size() {
        return items.size();
      }
    });
  }

  /**
   * Lowest {@code priority} first (the book's 12.7: 1 before 2), equal priorities in insertion order. The
   * same order as {@link #priority(Vertx, int, Comparator)} with an int comparator, kept in a binary heap of
   * plain arrays: no entry objects to chase, which is what a heap of a million items spends its time on.
   */
  public static <T> AsyncQueue<T> byPriority(Vertx vertx, int capacity, ToIntFunction<? super T> priority) {
    return new AsyncQueue<>(vertx, Kind.PRIORITY, capacity, new IntHeap<>(priority));
  }

  /** A binary min-heap on (priority, insertion sequence) in parallel arrays. */
  private static final class IntHeap<T> implements Store<T> {
    private final ToIntFunction<? super T> priorityOf;
    private int[] priorities = new int[16];
    private long[] sequences = new long[16];
    private Object[] items = new Object[16];
    private int size;
    private long sequence;

    IntHeap(ToIntFunction<? super T> priorityOf) {
      this.priorityOf = priorityOf;
    }

    private boolean less(int i, int j) {
      return priorities[i] < priorities[j] || priorities[i] == priorities[j] && sequences[i] < sequences[j];
    }

    private void swap(int i, int j) {
      int p = priorities[i];
      priorities[i] = priorities[j];
      priorities[j] = p;
      long s = sequences[i];
      sequences[i] = sequences[j];
      sequences[j] = s;
      Object o = items[i];
      items[i] = items[j];
      items[j] = o;
    }

    public void add(T item) {
      if (size == items.length) {
        priorities = java.util.Arrays.copyOf(priorities, size * 2);
        sequences = java.util.Arrays.copyOf(sequences, size * 2);
        items = java.util.Arrays.copyOf(items, size * 2);
      }
      int i = size++;
      priorities[i] = priorityOf.applyAsInt(item);
      sequences[i] = sequence++;
      items[i] = item;
      while (i > 0 && less(i, (i - 1) >>> 1)) {
        swap(i, (i - 1) >>> 1);
        i = (i - 1) >>> 1;
      }
    }

    @SuppressWarnings("unchecked")
    public T remove() {
      if (size == 0) {
        return null;
      }
      T top = (T) items[0];
      size--;
      swap(0, size);
      items[size] = null;
      int i = 0;
      while (true) {
        int left = 2 * i + 1;
        if (left >= size) {
          break;
        }
        int child = left + 1 < size && less(left + 1, left) ? left + 1 : left;
        if (!less(child, i)) {
          break;
        }
        swap(i, child);
        i = child;
      }
      return top;
    }

    public int size() {
      return size;
    }
  }

  /** A queue of {@code kind}; a priority queue of it orders items by their natural order. */
  @SuppressWarnings("unchecked")
  public static <T extends Comparable<? super T>> AsyncQueue<T> of(Vertx vertx, Kind kind, int capacity) {
    return switch (kind) {
      case FIFO -> fifo(vertx, capacity);
      case LIFO -> lifo(vertx, capacity);
      case PRIORITY -> priority(vertx, capacity, Comparator.naturalOrder());
    };
  }

  public Kind kind() {
    return kind;
  }

  /** The bound, or 0 when unbounded. */
  public int capacity() {
    return capacity == Integer.MAX_VALUE ? 0 : capacity;
  }

  /** Items in the queue now (not counting those of waiting producers). */
  public synchronized int size() {
    return store.size();
  }

  /** Items put and not yet marked done with {@link #taskDone()}. */
  public synchronized long unfinished() {
    return unfinished;
  }

  /** {@code put_nowait}: adds the item if there is room (or a waiting consumer); false when full. */
  public boolean offer(T item) {
    Waiter<T> taker;
    synchronized (this) {
      taker = takers.pollFirst();
      if (taker == null) {
        if (store.size() >= capacity) {
          return false;
        }
        store.add(item);
        unfinished++;
        return true;
      }
      unfinished++;
    }
    taker.complete(item);
    return true;
  }

  /** Adds the item, waiting at most {@code timeout} for room; fails with a 504 if none came. */
  public Future<Void> put(T item, Duration timeout) {
    if (offer(item)) {
      return Future.succeededFuture();
    }
    Waiter<T> waiter = new Waiter<>(vertx.getOrCreateContext(), Promise.promise(), item, deadline(timeout), PUT_TIMED_OUT);
    synchronized (this) {
      if (store.size() < capacity || !takers.isEmpty()) {
        return offer(item) ? Future.succeededFuture() : put(item, timeout); // room appeared meanwhile
      }
      putters.addLast(waiter);
      armFor(waiter.deadline());
    }
    return waiter.promise().future().mapEmpty();
  }

  /** {@code get_nowait}: the next item, or null when the queue is empty. */
  public T poll() {
    Waiter<T> putter;
    T item;
    synchronized (this) {
      item = store.remove();
      if (item == null) {
        return null;
      }
      putter = putters.pollFirst();
      if (putter != null) {
        store.add(putter.item());
        unfinished++;
      }
    }
    if (putter != null) {
      putter.complete(null);
    }
    return item;
  }

  /** The next item, waiting at most {@code timeout} for one; fails with a 504 if none came. */
  public Future<T> take(Duration timeout) {
    T item = poll();
    if (item != null) {
      return Future.succeededFuture(item);
    }
    Waiter<T> waiter = new Waiter<>(vertx.getOrCreateContext(), Promise.promise(), null, deadline(timeout), TAKE_TIMED_OUT);
    synchronized (this) {
      if (store.size() > 0) {
        return take(timeout); // an item arrived meanwhile
      }
      takers.addLast(waiter);
      armFor(waiter.deadline());
    }
    return waiter.promise().future();
  }

  /** Marks one taken item as processed; when every item put is done, {@link #join} waiters complete. */
  public void taskDone() {
    List<Waiter<Void>> done;
    synchronized (this) {
      if (unfinished == 0) {
        throw new IllegalStateException("taskDone() called more times than there were items");
      }
      if (--unfinished > 0 || joiners.isEmpty()) {
        return;
      }
      done = new ArrayList<>(joiners);
      joiners.clear();
    }
    done.forEach(joiner -> joiner.complete(null));
  }

  /** Completes when every item put so far has been marked done, or fails with a 504 after {@code timeout}. */
  public Future<Void> join(Duration timeout) {
    Waiter<Void> waiter = new Waiter<>(vertx.getOrCreateContext(), Promise.promise(), null, deadline(timeout),
      "join timed out after " + timeout.toMillis() + " ms");
    synchronized (this) {
      if (unfinished == 0) {
        return Future.succeededFuture();
      }
      joiners.add(waiter);
      armFor(waiter.deadline());
    }
    return waiter.promise().future();
  }

  private static long deadline(Duration timeout) {
    return System.nanoTime() + Math.max(1, timeout.toMillis()) * 1_000_000;
  }

  /**
   * Makes sure the timer fires by {@code deadline}; waiters mostly come in deadline order, so it rarely moves.
   * The timer is set outside the calling verticle's close hooks ({@link ContextInternal#setTimer}): the queue
   * may be shared, and a verticle's undeploy, which cancels the timers it set, must not leave the waiters of
   * the others without their timeout.
   */
  private void armFor(long deadline) {
    assert Thread.holdsLock(this);
    if (deadline >= timerDeadline) {
      return;
    }
    if (timerId != NO_TIMER) {
      vertx.cancelTimer(timerId);
    }
    long delayMs = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
    timerDeadline = deadline;
    timerId = ((ContextInternal) vertx.getOrCreateContext()).setTimer(delayMs, this::sweep);
  }

  /** Fails every waiter whose deadline has passed (a 504 that leaves no trace) and re-arms for the next one. */
  private void sweep(long firedTimerId) {
    List<Waiter<?>> expired = new ArrayList<>();
    synchronized (this) {
      if (firedTimerId != timerId) {
        return; // replaced by an earlier one meanwhile
      }
      timerId = NO_TIMER;
      timerDeadline = Long.MAX_VALUE;
      long now = System.nanoTime();
      long next = Long.MAX_VALUE;
      for (Iterable<? extends Waiter<?>> line : List.of(takers, putters, joiners)) {
        for (Iterator<? extends Waiter<?>> it = line.iterator(); it.hasNext(); ) {
          Waiter<?> waiter = it.next();
          if (waiter.deadline() - now <= 0) {
            it.remove();
            expired.add(waiter);
          } else {
            next = Math.min(next, waiter.deadline());
          }
        }
      }
      if (next != Long.MAX_VALUE) {
        armFor(next);
      }
    }
    expired.forEach(waiter -> waiter.fail(Failure.TIMEOUT.exception(waiter.timeoutMessage())));
  }
}
