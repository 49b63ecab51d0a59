package org.concurrencylab.blocking;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code demo locks}: the book's 7.5-7.11 on worker threads. A counter that many threads update without a
 * lock loses updates; with a lock it does not. Then the book's deadlock (two locks taken in opposite
 * orders): instead of hanging, a watchdog finds the cycle with the JVM's deadlock detector, reports who
 * holds what, and interrupts one of the two as a victim; taking the locks in one order fixes it.
 */
final class LocksDemo implements Demo {

  @Override
  public String name() {
    return "locks";
  }

  @Override
  public String summary() {
    return "ch7 7.5-7.11: lost updates without a lock, fixed with one; a deadlock detected and broken, not hung";
  }

  /** The shared counter. {@code volatile} so each update really reads and writes memory (no JIT shortcut). */
  private static final class Counter {
    volatile long value;
  }

  @Override
  public Future<JsonObject> run(DemoContext demo) {
    int threads = demo.intOption("threads", 4);
    int increments = demo.intOption("increments", 20_000);
    int timeoutMs = demo.intOption("timeout-ms", 500);
    if (threads < 2 || threads > 64 || increments < 1 || increments > 10_000_000 || timeoutMs < 10) {
      return Future.failedFuture(new IllegalArgumentException(
        "need 2 <= --threads <= 64, 1 <= --increments <= 10000000 and --timeout-ms >= 10"));
    }
    WorkerExecutor pool = demo.vertx().createSharedWorkerExecutor("locks-demo-" + System.nanoTime(), threads);
    JsonObject claims = new JsonObject().put("expected", (long) threads * increments);
    demo.say("Chapter 7: locks. %d worker threads each add 1 to a shared counter %,d times (expected %,d).",
      threads, increments, (long) threads * increments);
    return count(pool, threads, increments, null)
      .compose(unlocked -> {
        long lost = claims.getLong("expected") - unlocked;
        demo.say("  without a lock: %,d  -> %,d updates lost (read, another thread writes, write back)", unlocked, lost);
        claims.put("unlocked", unlocked).put("lost", lost);
        return count(pool, threads, increments, new ReentrantLock());
      })
      .compose(locked -> {
        demo.say("  with a lock:    %,d  -> none lost", locked);
        demo.say("  (java.util.concurrent's AtomicLong or LongAdder do the same without a lock)");
        demo.say("");
        claims.put("locked", locked);
        return deadlock(demo, pool, timeoutMs, false);
      })
      .compose(report -> {
        claims.put("deadlock", report);
        return deadlock(demo, pool, timeoutMs, true);
      })
      .map(fixed -> claims.put("one_order", fixed))
      .eventually(pool::close);
  }

  /** {@code threads} tasks, released together, each adding 1 {@code increments} times; returns the total. */
  private static Future<Long> count(WorkerExecutor pool, int threads, int increments,
                                    ReentrantLock lock) {
    Counter counter = new Counter();
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<Void>> tasks = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      tasks.add(pool.executeBlocking(() -> {
        start.await(10, TimeUnit.SECONDS);
        for (int i = 0; i < increments; i++) {
          if (lock == null) {
            long seen = counter.value;
            Thread.yield(); // the moment where Python's GIL may switch threads; here the OS may too
            counter.value = seen + 1;
          } else {
            lock.lock();
            try {
              long seen = counter.value;
              Thread.yield();
              counter.value = seen + 1;
            } finally {
              lock.unlock();
            }
          }
        }
        return null;
      }, false));
    }
    return Future.all(tasks).map(all -> counter.value);
  }

  /**
   * Two tasks take locks A and B, in opposite orders unless {@code oneOrder}. Each holds its first lock until
   * both do, so opposite orders always deadlock; after {@code timeoutMs} a watchdog asks the JVM for
   * deadlocked threads, reports the cycle and interrupts task 2, which gives up its lock.
   */
  private static Future<JsonObject> deadlock(DemoContext demo, WorkerExecutor pool, int timeoutMs, boolean oneOrder) {
    ReentrantLock a = new NamedLock("A");
    ReentrantLock b = new NamedLock("B");
    CountDownLatch bothHoldOne = new CountDownLatch(2);
    Map<String, Thread> workers = new ConcurrentHashMap<>();
    Map<String, String> waits = new ConcurrentHashMap<>();
    AtomicLong gaveUp = new AtomicLong();
    Future<String> first = pool.executeBlocking(
      () -> takeBoth("task 1", a, b, bothHoldOne, workers, waits, gaveUp, oneOrder), false);
    Future<String> second = pool.executeBlocking(
      () -> takeBoth("task 2", oneOrder ? a : b, oneOrder ? b : a, bothHoldOne, workers, waits, gaveUp, oneOrder), false);
    JsonArray cycle = new JsonArray();
    long watchdog = demo.vertx().setTimer(timeoutMs, id -> {
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      long[] stuck = mx.findDeadlockedThreads();
      if (stuck == null) {
        return;
      }
      for (ThreadInfo info : mx.getThreadInfo(stuck)) {
        workers.forEach((task, thread) -> {
          if (thread.getId() == info.getThreadId()) {
            cycle.add(task + " (" + info.getThreadName() + ") " + waits.get(task));
          }
        });
      }
      // Break the cycle as a database would: one victim gives up its lock, so the other can finish.
      Thread victim = workers.get("task 2");
      if (victim != null) {
        victim.interrupt();
      }
    });
    demo.say(oneOrder ? "Both tasks take A then B (one order for everybody):"
      : "The book's deadlock: task 1 takes A then B, task 2 takes B then A (7.10):");
    return Future.join(first, second).map(both -> {
      demo.vertx().cancelTimer(watchdog);
      boolean deadlocked = !cycle.isEmpty();
      if (deadlocked) {
        demo.say("  after %d ms the JVM's deadlock detector found a cycle:", timeoutMs);
        cycle.forEach(line -> demo.say("    %s", line));
        demo.say("  task 2 was interrupted as the victim: %s, so %s", second.result(), first.result());
      } else {
        demo.say("  %s; %s", first.result(), second.result());
      }
      return new JsonObject().put("deadlocked", deadlocked).put("cycle", cycle).put("gave_up", gaveUp.get());
    });
  }

  private static String takeBoth(String name, ReentrantLock firstLock, ReentrantLock secondLock,
                                 CountDownLatch bothHoldOne, Map<String, Thread> workers, Map<String, String> waits,
                                 AtomicLong gaveUp, boolean oneOrder) throws InterruptedException {
    workers.put(name, Thread.currentThread());
    firstLock.lockInterruptibly();
    try {
      bothHoldOne.countDown();
      if (!oneOrder) {
        bothHoldOne.await(10, TimeUnit.SECONDS);
      }
      waits.put(name, "holds " + firstLock + " and waits for " + secondLock);
      secondLock.lockInterruptibly();
      try {
        return name + " took " + firstLock + " and " + secondLock;
      } finally {
        secondLock.unlock();
      }
    } catch (InterruptedException e) {
      gaveUp.incrementAndGet();
      return name + " gave up and released " + firstLock;
    } finally {
      firstLock.unlock();
      workers.remove(name);
    }
  }

  /** A lock whose name shows in the deadlock report. */
  private static final class NamedLock extends ReentrantLock {
    private final String name;

    NamedLock(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return "lock " + name;
    }
  }
}
