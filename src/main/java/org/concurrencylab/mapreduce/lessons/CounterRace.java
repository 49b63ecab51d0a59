package org.concurrencylab.mapreduce.lessons;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The book's listings 6.10-6.12 in Java: parallel workers each add 1 to one shared counter many times.
 * Unsynchronised, "read, add, write" from two threads loses updates; an atomic, a lock, or Vert.x's
 * shared-data {@link Counter} (cluster-wide when Vert.x is clustered) never do.
 *
 * <p>The workers are blocking tasks on Vert.x's worker pool ({@code executeBlocking}), the Java counterpart
 * of the book's processes; a barrier starts them together so that they really overlap.
 */
public final class CounterRace {

  /** The workers must all run at once on Vert.x's worker pool (20 threads by default). */
  public static final int MAX_WORKERS = 16;

  /** How the workers add to the counter. */
  public enum Strategy {
    UNSAFE("plain field: read, then write"),
    ATOMIC("AtomicLong.incrementAndGet()"),
    LOCK("ReentrantLock around read, then write"),
    SHARED_COUNTER("Vert.x shared-data Counter");

    private final String description;

    Strategy(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /** What a race ended with. {@code lost} is how many increments vanished. */
  public record Outcome(Strategy strategy, int workers, int increments, long expected, long actual, long millis) {
    public long lost() {
      return expected - actual;
    }
  }

  /**
   * The unsafe workers give up the CPU between a read and its write once in this many + 1 increments. On an
   * idle multi-core machine the workers overlap anyway and lose updates without it; on a loaded or single
   * core machine it stands in for the preemption that loses them there, so the lesson shows either way.
   */
  private static final int YIELD_EVERY = 1023;

  /** The unsafe counter: volatile so that every read and write really goes to memory, and still racy. */
  private static final class PlainCounter {
    volatile long value;
  }

  private CounterRace() {
  }

  /**
   * Runs {@code workers} workers adding 1, {@code increments} times each. For {@link Strategy#SHARED_COUNTER}
   * the counter is {@code vertx.sharedData().getCounter(counterName)}, read back at the end; the workers of
   * several nodes may race on the same name, and {@code actual} is then the counter's value when this node's
   * workers are done.
   */
  public static Future<Outcome> race(Vertx vertx, Strategy strategy, int workers, int increments, String counterName) {
    if (workers < 1 || workers > MAX_WORKERS || increments < 0) {
      return Future.failedFuture(new IllegalArgumentException("need 1 to " + MAX_WORKERS
        + " workers and increments >= 0"));
    }
    if (strategy == Strategy.SHARED_COUNTER) {
      return vertx.sharedData().getCounter(counterName)
        .compose(counter -> counter.get().compose(before -> run(vertx, workers, () -> {
          for (int i = 0; i < increments; i++) {
            await(counter.incrementAndGet());
          }
        }).compose(millis -> counter.get().map(after -> new Outcome(strategy, workers, increments,
          (long) workers * increments, after - before, millis)))));
    }
    PlainCounter plain = new PlainCounter();
    AtomicLong atomic = new AtomicLong();
    ReentrantLock lock = new ReentrantLock();
    Runnable work = switch (strategy) {
      case UNSAFE -> () -> {
        for (int i = 0; i < increments; i++) {
          long seen = plain.value;
          if ((i & YIELD_EVERY) == 0) {
            Thread.yield(); // as if the OS switched threads here, which a busy machine does at any moment
          }
          plain.value = seen + 1; // whatever another worker wrote since the read is overwritten: lost
        }
      };
      case ATOMIC -> () -> {
        for (int i = 0; i < increments; i++) {
          atomic.incrementAndGet();
        }
      };
      case LOCK -> () -> {
        for (int i = 0; i < increments; i++) {
          lock.lock();
          try {
            plain.value = plain.value + 1;
          } finally {
            lock.unlock();
          }
        }
      };
      case SHARED_COUNTER -> throw new IllegalStateException("handled above");
    };
    return run(vertx, workers, work).map(millis -> new Outcome(strategy, workers, increments,
      (long) workers * increments, strategy == Strategy.ATOMIC ? atomic.get() : plain.value, millis));
  }

  /** Runs {@code work} on {@code workers} worker threads at once; completes with the wall time in ms. */
  private static Future<Long> run(Vertx vertx, int workers, Runnable work) {
    CyclicBarrier start = new CyclicBarrier(workers);
    long started = System.nanoTime();
    List<Future<Void>> running = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      running.add(vertx.executeBlocking(() -> {
        start.await(10, TimeUnit.SECONDS); // all at once, or the race is no race
        work.run();
        return null;
      }, false));
    }
    return Future.all(running).map(done -> (System.nanoTime() - started) / 1_000_000);
  }

  /** Blocks this worker thread on an async result (allowed: the workers are not event loops). */
  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the shared counter did not answer within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
