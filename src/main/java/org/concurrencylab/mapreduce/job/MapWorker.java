package org.concurrencylab.mapreduce.job;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.mapreduce.count.ByteSink;
import org.concurrencylab.mapreduce.count.LineCounter;
import org.concurrencylab.mapreduce.count.NgramTable;
import org.concurrencylab.mapreduce.count.PartialCounts;
import org.concurrencylab.mapreduce.count.SkippedLines;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A map worker: answers {@code mapreduce.map} by reading one byte range of a file and counting its lines.
 * Deployed as a {@code ThreadingModel.WORKER} verticle, one instance per core, so each instance counts on a
 * thread of its own while the event loops stay free; the bus hands requests to the instances in turn, and
 * across the cluster to the instances of every node.
 *
 * <p>Request {@code {path, start, end, partition, encoding, job}}; reply a {@link PartialCounts} body. Each
 * instance reuses its read buffer and partition table. When the job runs on this node ({@link JobCounts}) and
 * asks for Buffer partials, the worker adds the partition's counts to its own table of the job and answers
 * with the summary alone; otherwise the counts travel in the answer.
 */
public final class MapWorker extends VerticleBase {

  private final String node;
  private final NodeStats stats;
  private String name;
  private byte[] buffer = new byte[0];
  private final NgramTable table = new NgramTable(16_384);
  private final SkippedLines skipped = new SkippedLines();
  private final ByteSink encoded = new ByteSink(256 * 1024);

  MapWorker(String node, NodeStats stats) {
    this.node = node;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    name = node + "#" + stats.workers.getAndIncrement();
    return Bus.<JsonObject>serve(vertx, WordCountAddresses.MAP, this::map);
  }

  @Override
  public Future<?> stop() {
    stats.workers.decrementAndGet();
    return Future.succeededFuture();
  }

  private Future<Object> map(Message<JsonObject> message) {
    JsonObject request = Bus.jsonBody(message);
    String path = request.getValue("path") instanceof String text ? text : null;
    long start = number(request, "start");
    long end = number(request, "end");
    int partition = (int) number(request, "partition");
    if (path == null || start < 0 || end <= start || partition < 0
      || end - start > FileSplitter.MAX_PARTITION_BYTES + FileSplitter.MAX_LINE_BYTES) {
      throw Failure.BAD_REQUEST.exception("a map request needs a path and 0 <= start < end with end - start <= "
        + (FileSplitter.MAX_PARTITION_BYTES + FileSplitter.MAX_LINE_BYTES) + ", got " + request.encode());
    }
    PartialCounts.Encoding encoding;
    try {
      encoding = PartialCounts.Encoding.parse(request.getString("encoding"));
    } catch (IllegalArgumentException e) {
      throw Failure.BAD_REQUEST.exception(e.getMessage());
    }
    int length = (int) (end - start);
    long readStarted = System.nanoTime();
    read(path, start, length);
    long countStarted = System.nanoTime();
    table.clear();
    skipped.clear();
    long lines = LineCounter.count(buffer, length, table, skipped);
    long counted = System.nanoTime();
    PartialCounts.Summary summary = new PartialCounts.Summary(partition, name, lines, skipped,
      countStarted - readStarted, counted - countStarted, table.size());
    stats.partitions.incrementAndGet();
    stats.lines.addAndGet(lines);
    stats.bytes.addAndGet(length);
    if (encoding == PartialCounts.Encoding.JSON) {
      return Future.succeededFuture(PartialCounts.toJson(summary, table));
    }
    // A job of this node: the counts go into this worker's own table of the job, the answer is the summary.
    JobCounts counts = JobCounts.find(vertx, request.getValue("job") instanceof String job ? job : null);
    if (counts != null && counts.add(name, partition, table) != JobCounts.Outcome.REFUSED) {
      return Future.succeededFuture(PartialCounts.summaryOnly(summary, encoded));
    }
    return Future.succeededFuture(PartialCounts.toBuffer(summary, table, encoded));
  }

  /** A whole-number field, or -1 when it is missing or not a number. */
  private static long number(JsonObject request, String field) {
    return request.getValue(field) instanceof Number number ? number.longValue() : -1;
  }

  /** Reads {@code [start, start + length)} of the file into {@link #buffer}; the failures say why not. */
  private void read(String path, long start, int length) {
    if (buffer.length < length + LineCounter.PADDING) {
      // A quarter more: partitions differ by a few lines, and each regrowth is a large allocation.
      buffer = new byte[length + length / 4 + LineCounter.PADDING];
    }
    try (FileChannel file = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
      ByteBuffer into = ByteBuffer.wrap(buffer, 0, length);
      while (into.hasRemaining()) {
        if (file.read(into, start + into.position()) < 0) {
          stats.mapFailures.incrementAndGet();
          throw Failure.CONFLICT.exception(path + " is shorter than " + (start + length)
            + " bytes on node " + node + ": did it change during the job?");
        }
      }
    } catch (NoSuchFileException e) {
      stats.mapFailures.incrementAndGet();
      throw Failure.NOT_FOUND.exception("no file " + path + " on node " + node);
    } catch (AccessDeniedException e) {
      stats.mapFailures.incrementAndGet();
      throw Failure.UNPROCESSABLE.exception("cannot read " + path + " on node " + node + ": permission denied");
    } catch (IOException e) {
      stats.mapFailures.incrementAndGet();
      throw Failure.UNPROCESSABLE.exception("cannot read " + path + " on node " + node + ": " + e.getMessage());
    }
  }
}
