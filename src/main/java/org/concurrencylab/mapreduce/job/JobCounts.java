package org.concurrencylab.mapreduce.job;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import org.concurrencylab.mapreduce.count.NgramTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The counts of one job kept on its coordinator's node, where the job's local map workers add each partition
 * themselves: one table per map worker, which only that worker writes, so the workers never share a cache
 * line or a lock while the job runs, and nothing is encoded, copied by the bus and merged again by another
 * thread. The job ranks the workers' tables together once, at the end ({@code Ranking.ofUnion}). Workers on
 * other nodes answer with partials, which the job's reduce lane merges as before.
 *
 * <p>Registered in the node's local map under the job id while the job runs: only workers of the same Vert.x
 * instance find it.
 *
 * <p>Exactness: each partition's counts enter the job at most once, whoever sends them. Its state moves once
 * from {@code NONE}, either to {@code ADDING} (a local worker won it, then {@code ADDED}) or to {@code CLAIMED}
 * (the job accepted a partial of it). A worker that finds a partition taken answers with the summary alone;
 * the job accepts one answer per partition, and {@link #close} waits for any partition still being added
 * before the tables are read.
 */
final class JobCounts implements Shareable {

  private static final String MAP = "mapreduce.job-counts";
  private static final int NONE = 0;
  private static final int ADDING = 1;
  private static final int ADDED = 2;
  private static final int CLAIMED = 3;
  private static final int FAILED = 4;

  private final AtomicIntegerArray states;
  private final int expectedKeysPerWorker;
  private final Map<String, NgramTable> tables = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private JobCounts(int partitions, int expectedKeysPerWorker) {
    this.states = new AtomicIntegerArray(partitions);
    this.expectedKeysPerWorker = expectedKeysPerWorker;
  }

  /** Registers the counts of {@code job} on this node. */
  static JobCounts open(Vertx vertx, String job, int partitions, int expectedKeysPerWorker) {
    JobCounts counts = new JobCounts(partitions, expectedKeysPerWorker);
    map(vertx).put(job, counts);
    return counts;
  }

  /** The counts of {@code job} when it runs on this node and still takes partitions, else null. */
  static JobCounts find(Vertx vertx, String job) {
    JobCounts counts = job == null ? null : map(vertx).get(job);
    return counts == null || counts.closed ? null : counts;
  }

  /** Forgets the job's counts on this node (the job ended): its tables can go. */
  static void forget(Vertx vertx, String job) {
    JobCounts counts = map(vertx).remove(job);
    if (counts != null) {
      counts.closed = true;
      counts.tables.clear();
    }
  }

  private static LocalMap<String, JobCounts> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** What {@link #add} did with a partition. */
  enum Outcome {
    /** Its counts are in the worker's table now. */
    ADDED,
    /** Another answer took it first (a partition sent again): its counts are in the job already, or will be. */
    TAKEN,
    /** The job takes no more counts here: answer with a partial. */
    REFUSED
  }

  /**
   * Adds partition {@code partition}'s {@code counted} to worker {@code worker}'s table, unless another answer
   * took the partition first. Call it only from that worker's own context: its table has no lock.
   */
  Outcome add(String worker, int partition, NgramTable counted) {
    if (closed || partition < 0 || partition >= states.length()) {
      return Outcome.REFUSED;
    }
    if (!states.compareAndSet(partition, NONE, ADDING)) {
      return Outcome.TAKEN;
    }
    int state = FAILED;
    try {
      // Created by the worker's first partition, on its own thread: sized for its share of the job's keys.
      tables.computeIfAbsent(worker, name -> new NgramTable(expectedKeysPerWorker)).addAllFrom(counted);
      state = ADDED;
    } finally {
      synchronized (this) {
        states.set(partition, state); // a failed add leaves the totals unknown: close() reports it
        notifyAll();
      }
    }
    return Outcome.ADDED;
  }

  /**
   * Claims partition {@code partition} for a partial the job merges itself; false when a worker added it
   * already (or is adding it), and the partial's counts must be dropped.
   */
  boolean claim(int partition) {
    return states.compareAndSet(partition, NONE, CLAIMED);
  }

  /**
   * Takes no more partitions, waits up to {@code timeoutMs} for those still being added, and returns the
   * workers' tables. Blocking: the reduce lane calls it.
   *
   * @throws IllegalStateException when a partition could not be added, or is still being added at the timeout
   */
  synchronized List<NgramTable> close(long timeoutMs) throws InterruptedException {
    closed = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    for (int partition = 0; partition < states.length(); partition++) {
      while (states.get(partition) == ADDING) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new IllegalStateException("partition " + partition + " is still being added after " + timeoutMs + " ms");
        }
        wait(left);
      }
      if (states.get(partition) == FAILED) {
        throw new IllegalStateException("adding partition " + partition + " to a map worker's table failed");
      }
    }
    return new ArrayList<>(tables.values());
  }
}
