package org.concurrencylab.mapreduce.job;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.mapreduce.count.NgramTable;
import org.concurrencylab.mapreduce.count.PartialCounts;
import org.concurrencylab.mapreduce.count.Ranking;
import org.concurrencylab.mapreduce.count.SkippedLines;
import org.concurrencylab.measure.ProcessCpu;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * One word-count job, driven from its coordinator's event loop: sends partitions to {@code mapreduce.map}
 * (at most {@code inFlight} at a time, so neither the workers' queues nor the partials waiting to be merged
 * grow without bound), books each answer as it arrives, and publishes progress.
 *
 * <p>Where the counts go. The map workers of this node add each partition to a table of their own for the
 * job ({@link JobCounts}) and answer with the summary alone: on one node the counting and the merging run on
 * the workers' threads, one per core, with nothing shared, and no partial is encoded, copied or merged a
 * second time. Partials from other nodes' workers are merged into the reducer's table. After the last answer
 * the tables are ranked together once ({@code Ranking.ofUnion}).
 *
 * <p>The reduce never blocks the event loop. Everything that touches the reducer's table runs in the
 * coordinator's <em>reduce lane</em>: its context's ordered blocking tasks, which a worker thread runs one
 * after another (so the table needs no lock) and back to back. The lane creates the table with the first
 * partial from another node, ranks the tables after the last answer, and lets them go when the job ends. A
 * partition's in-flight slot is freed only once it is booked, which slows the dispatch down to the reduce's
 * pace if it ever were the bottleneck.
 *
 * <p>Exactness: each partition is counted exactly once, in a local worker's table or the reducer's, whoever
 * answers first ({@link JobCounts#claim}). A request that fails for a reason another worker might
 * not share (no answer within the timeout, a node that left, no worker right now, a worker that cannot see
 * the file) is sent again, up to {@value #MAX_ATTEMPTS} times; a late answer to a request that timed out is
 * dropped by the bus, and a duplicate would be ignored here.
 */
final class WordCountJob {

  static final int MAX_ATTEMPTS = 5;
  static final long PROGRESS_INTERVAL_MS = 250;
  private static final Logger log = LoggerFactory.getLogger(WordCountJob.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  enum State { RUNNING, DONE, FAILED }

  private final Vertx vertx;
  /** The coordinator's context: its ordered blocking tasks are the reduce lane. */
  private final Context context;
  private final String id;
  private final JobRequest request;
  private final Path path;
  private final FileSplitter.Plan plan;
  private final int inFlightLimit;
  private final String node;
  private final long startedNanos;
  private final long plannedNanos;

  /**
   * The counts of the partitions this node's map workers added themselves: one table per worker, ranked
   * together with {@link #table} at the end.
   */
  private final JobCounts counts;
  /** The reducer's table of the partials from other nodes' workers: created, read and dropped only in the reduce lane. */
  private NgramTable table;
  private final int expectedKeys;
  private final int[] attempts;
  /** Set on the event loop when a partition's answer arrives: a second answer is dropped. */
  private final boolean[] answered;
  private final long[] linesOf;
  private final SkippedLines[] skippedOf;
  private final Deque<Partition> pending = new ArrayDeque<>();
  private final Map<String, Integer> partitionsByWorker = new TreeMap<>();
  private int inFlight;
  private int done;
  private int retries;
  private long linesDone;
  private long bytesDone;
  private long readNanos;
  private long countNanos;
  private long mergeNanos;
  private long mergeCpuNanos;
  /** The final ranking of the tables in the reduce lane (written there, read after it completes). */
  private long rankNanos;
  private long rankCpuNanos;
  /** This process's CPU time when the job was hosted: the job's CPU is read against it at the end. */
  private final long startedCpuNanos = ProcessCpu.nanos();
  private long cpuNanos;
  private State state = State.RUNNING;
  /** Tells merges still queued in the reduce lane that the job is over and their work is not wanted. */
  private volatile boolean ended;
  private JsonObject result;
  private ReplyException error;
  private long finishedNanos;
  private final Promise<JsonObject> completion = Promise.promise();
  private long progressTimer = -1;
  private boolean progressChanged = true;

  /**
   * The distinct ngrams to size the reducer's table for, so that it rarely grows: the synthetic file has
   * about one per 300 bytes. Hundreds of MB for the book's file: the reduce lane allocates it, never the
   * event loop, and while the workers count its first partitions.
   */
  static int expectedKeys(FileSplitter.Plan plan) {
    return (int) Math.min(1 << 24, Math.max(1 << 12, plan.fileBytes() / 300));
  }

  WordCountJob(Vertx vertx, String id, JobRequest request, Path path, FileSplitter.Plan plan,
               int inFlightLimit, String node, long startedNanos, int localWorkers) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.id = id;
    this.request = request;
    this.path = path;
    this.plan = plan;
    this.inFlightLimit = inFlightLimit;
    this.node = node;
    this.startedNanos = startedNanos;
    this.plannedNanos = System.nanoTime();
    int partitions = plan.partitions().size();
    this.attempts = new int[partitions];
    this.answered = new boolean[partitions];
    this.linesOf = new long[partitions];
    this.skippedOf = new SkippedLines[partitions];
    this.expectedKeys = expectedKeys(plan);
    this.counts = JobCounts.open(vertx, id, partitions, Math.max(1 << 12, expectedKeys / Math.max(1, localWorkers)));
    pending.addAll(plan.partitions());
  }

  String id() {
    return id;
  }

  State state() {
    return state;
  }

  /** Completes with the result when the job is done, or fails with its failure. */
  Future<JsonObject> completion() {
    return completion.future();
  }

  void start() {
    progressTimer = vertx.setPeriodic(PROGRESS_INTERVAL_MS, t -> publishProgress());
    publishProgress();
    dispatch();
  }

  private void dispatch() {
    while (state == State.RUNNING && inFlight < inFlightLimit && !pending.isEmpty()) {
      send(pending.poll());
    }
  }

  private void send(Partition partition) {
    inFlight++;
    attempts[partition.index()]++;
    JsonObject body = new JsonObject()
      .put("path", path.toString())
      .put("start", partition.start())
      .put("end", partition.end())
      .put("partition", partition.index())
      .put("encoding", request.encoding().label())
      .put("job", id);
    vertx.eventBus().request(WordCountAddresses.MAP, body,
        new DeliveryOptions().setSendTimeout(request.partitionTimeoutMs()))
      .onComplete(reply -> {
        if (reply.succeeded()) {
          merge(partition, reply.result());
        } else {
          inFlight--;
          retryOrFail(partition, reply.cause());
        }
      });
  }

  private void retryOrFail(Partition partition, Throwable cause) {
    if (state != State.RUNNING) {
      return;
    }
    Failure failure = Failure.of(cause);
    boolean retryable = failure != Failure.BAD_REQUEST && failure != Failure.CONFLICT;
    if (!retryable || attempts[partition.index()] >= MAX_ATTEMPTS) {
      fail(failure, "partition " + partition.index() + " (bytes " + partition.start() + "-" + partition.end()
        + ") failed after " + attempts[partition.index()] + " attempt(s): " + Failure.describe(cause));
      return;
    }
    retries++;
    progressChanged = true;
    log.info("job {}: partition {} attempt {} failed ({}), sending it again", id, partition.index(),
      attempts[partition.index()], Failure.describe(cause));
    if (failure == Failure.UNAVAILABLE) {
      // No worker anywhere right now (a node restarting?): give the cluster a moment before asking again.
      vertx.setTimer(100L * attempts[partition.index()], t -> {
        pending.addFirst(partition);
        dispatch();
      });
    } else {
      pending.addFirst(partition);
      dispatch();
    }
  }

  /** A merged partial's summary and the time the merge took: wall and its thread's CPU. */
  private record Merged(PartialCounts.Summary summary, long nanos, long cpuNanos) {
  }

  private void merge(Partition partition, Message<Object> reply) {
    if (answered[partition.index()]) {
      inFlight--;
      return; // a second answer for one partition: never count it twice
    }
    answered[partition.index()] = true;
    Object body = reply.body();
    if (!counts.claim(partition.index())) {
      // A local worker added the partition's counts itself (the usual answer, about 100 bytes): its summary is
      // read here, without a hop through the reduce lane, which would cost two thread wake-ups per partition.
      PartialCounts.Summary summary;
      try {
        summary = PartialCounts.mergeInto(body, null);
      } catch (IllegalArgumentException e) {
        inFlight--;
        fail(Failure.INTERNAL, "partition " + partition.index() + " came back unreadable: " + e.getMessage());
        return;
      }
      merged(partition, new Merged(summary, 0, 0));
      return;
    }
    inReduceLane(() -> {
      if (ended) {
        return null;
      }
      long started = System.nanoTime();
      long startedCpu = THREADS.getCurrentThreadCpuTime();
      if (table == null) {
        table = new NgramTable(expectedKeys);
      }
      PartialCounts.Summary summary = PartialCounts.mergeInto(body, table);
      return new Merged(summary, System.nanoTime() - started, THREADS.getCurrentThreadCpuTime() - startedCpu);
    }).onComplete(merged -> merged(partition, merged), failure -> {
      inFlight--;
      // A partial that cannot be read may have been merged in part: the totals could no longer be exact.
      fail(Failure.INTERNAL, "partition " + partition.index() + " came back unreadable: " + failure.getMessage());
    });
  }

  private void merged(Partition partition, Merged merged) {
    inFlight--;
    if (merged == null || state != State.RUNNING) {
      return;
    }
    PartialCounts.Summary summary = merged.summary();
    if (summary.partition() != partition.index()) {
      fail(Failure.INTERNAL, "asked for partition " + partition.index() + ", got " + summary.partition());
      return;
    }
    linesOf[partition.index()] = summary.lines();
    if (summary.skipped().count() > 0) {
      skippedOf[partition.index()] = summary.skipped();
    }
    partitionsByWorker.merge(summary.worker(), 1, Integer::sum);
    done++;
    linesDone += summary.lines();
    bytesDone += partition.bytes();
    readNanos += summary.readNanos();
    countNanos += summary.countNanos();
    mergeNanos += merged.nanos();
    mergeCpuNanos += merged.cpuNanos();
    progressChanged = true;
    if (done == attempts.length) {
      finish();
    } else {
      dispatch();
    }
  }

  /**
   * Runs {@code task} in the reduce lane: after every task queued before it, never beside one (see the class
   * comment). Only the lane reads or writes {@link #table}.
   */
  private <T> Future<T> inReduceLane(Callable<T> task) {
    return context.executeBlocking(task, true);
  }

  /** What the lane reads off the finished tables, which it then lets go. */
  private record Totals(Ranking ranking, long wordCount, int distinct) {
  }

  private void finish() {
    inReduceLane(() -> {
      long started = System.nanoTime();
      long startedCpu = THREADS.getCurrentThreadCpuTime();
      List<NgramTable> tables = counts.close(request.partitionTimeoutMs());
      if (table != null) {
        tables.add(table);
      }
      table = null;
      long wordCount = 0; // read before the union ranking, which adds shared keys' counts together
      for (NgramTable counted : tables) {
        wordCount += Math.max(0, counted.get(request.word()));
      }
      Ranking ranking = Ranking.ofUnion(tables, request.top());
      rankNanos = System.nanoTime() - started;
      rankCpuNanos = THREADS.getCurrentThreadCpuTime() - startedCpu;
      return new Totals(ranking, wordCount, ranking.distinct());
    }).onComplete(totals -> {
      if (state != State.RUNNING) {
        return;
      }
      SkippedLines skipped = new SkippedLines();
      long before = 0;
      for (int i = 0; i < linesOf.length; i++) {
        if (skippedOf[i] != null) {
          skipped.addAll(skippedOf[i], before);
        }
        before += linesOf[i];
      }
      if (skipped.count() == linesDone) {
        fail(Failure.UNPROCESSABLE, path + " has no 1-gram row (ngram TAB year TAB match_count TAB volume_count): all "
          + linesDone + " lines skipped, " + describe(skipped));
        return;
      }
      finishedNanos = System.nanoTime();
      cpuNanos = startedCpuNanos < 0 ? -1 : ProcessCpu.nanos() - startedCpuNanos;
      result = resultJson(totals.ranking(), skipped, totals.wordCount(), totals.distinct());
      state = State.DONE;
      end();
      completion.complete(result);
    }, failure -> fail(Failure.INTERNAL, "ranking failed: " + failure.getMessage()));
  }

  /** Fails the job (once); answers still in flight are ignored when they come. */
  void fail(Failure failure, String message) {
    if (state != State.RUNNING) {
      return;
    }
    if (failure.code() < 500) {
      log.info("job {} refused its input: {}", id, message);
    } else {
      log.warn("job {} failed: {}", id, message);
    }
    finishedNanos = System.nanoTime();
    error = failure.exception(message);
    state = State.FAILED;
    end();
    completion.fail(error);
  }

  private void end() {
    ended = true;
    JobCounts.forget(vertx, id);
    // Behind the merges still queued, which see `ended` and skip their work: the table is no longer wanted.
    inReduceLane(() -> {
      table = null;
      return null;
    });
    vertx.cancelTimer(progressTimer);
    pending.clear();
    progressChanged = true;
    publishProgress();
  }

  private void publishProgress() {
    if (!progressChanged) {
      return;
    }
    progressChanged = false;
    vertx.eventBus().publish(WordCountAddresses.PROGRESS, progress().put("job", id));
  }

  JsonObject progress() {
    double seconds = ((state == State.RUNNING ? System.nanoTime() : finishedNanos) - plannedNanos) / 1e9;
    return new JsonObject()
      .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
      .put("partitionsDone", done)
      .put("partitions", attempts.length)
      .put("lines", linesDone)
      .put("bytesDone", bytesDone)
      .put("bytes", plan.fileBytes())
      .put("linesPerSecond", seconds > 0 ? Math.round(linesDone / seconds) : 0)
      .put("retries", retries)
      .put("inFlight", inFlight);
  }

  /** What {@code mapreduce.job.<id>} and {@code GET /jobs/{id}} answer. */
  JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id)
      .put("state", state.name().toLowerCase(java.util.Locale.ROOT))
      .put("node", node)
      .put("request", request.toJson().put("path", path.toString()))
      .put("progress", progress());
    if (result != null) {
      json.put("result", result);
    }
    if (error != null) {
      json.put("error", new JsonObject().put("code", error.failureCode()).put("message", error.getMessage()));
    }
    return json;
  }

  private JsonObject resultJson(Ranking ranking, SkippedLines skipped, long wordCount, int distinct) {
    double seconds = (finishedNanos - startedNanos) / 1e9;
    int workers = Math.max(1, partitionsByWorker.size());
    // The workers read their ranges in parallel: the reading's share of the wall time is the mean per worker.
    double readWall = readNanos / 1e9 / workers;
    JsonArray top = new JsonArray();
    ranking.top().forEach(entry -> top.add(new JsonObject().put("ngram", entry.ngram()).put("count", entry.count())));
    JsonObject byWorker = new JsonObject();
    partitionsByWorker.forEach(byWorker::put);
    return new JsonObject()
      .put("path", path.toString())
      .put("lines", linesDone)
      .put("skipped", skippedJson(skipped))
      .put("distinct", distinct)
      .put("totalMatchCount", ranking.totalCount())
      .put("word", new JsonObject().put("ngram", request.word()).put("count", wordCount))
      .put("top", top)
      .put("partitions", attempts.length)
      .put("partitionBytes", plan.partitionBytes())
      .put("bytesPerLine", Math.round(plan.bytesPerLine() * 100) / 100.0)
      .put("bytes", plan.fileBytes())
      .put("retries", retries)
      .put("encoding", request.encoding().label())
      .put("workers", byWorker)
      .put("seconds", round(seconds))
      .put("planSeconds", round((plannedNanos - startedNanos) / 1e9))
      .put("secondsExcludingRead", round(Math.max(0, seconds - readWall)))
      .put("readSeconds", round(readNanos / 1e9))
      .put("countSeconds", round(countNanos / 1e9))
      .put("mergeSeconds", round(mergeNanos / 1e9))
      .put("mergeCpuSeconds", round(mergeCpuNanos / 1e9))
      .put("rankSeconds", round(rankNanos / 1e9))
      .put("rankCpuSeconds", round(rankCpuNanos / 1e9))
      .put("cpuSeconds", cpuNanos < 0 ? null : round(cpuNanos / 1e9))
      .put("linesPerSecond", seconds > 0 ? Math.round(linesDone / seconds) : 0);
  }

  private static JsonObject skippedJson(SkippedLines skipped) {
    JsonArray first = new JsonArray();
    skipped.first().forEach(line -> first.add(new JsonObject().put("line", line.number())
      .put("problem", line.problem().name()).put("description", line.problem().description())));
    return new JsonObject().put("lines", skipped.count()).put("first", first);
  }

  private static String describe(SkippedLines skipped) {
    StringBuilder text = new StringBuilder("first:");
    skipped.first().forEach(line -> text.append(" line ").append(line.number()).append(" (")
      .append(line.problem().description()).append(')'));
    return text.toString();
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
