package org.concurrencylab.mapreduce.count;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * A map worker's answer for one partition: its counts and a summary, as a bus body in one of two encodings.
 *
 * <ul>
 *   <li>{@link Encoding#BUFFER} (the default): varint-packed bytes. The keys go from the worker's table to
 *   the reducer's table as bytes, never becoming Strings; on one node the bus copies the Buffer once, across
 *   the cluster it is sent as is. No codec to register: Buffer is a built-in bus type on every node.</li>
 *   <li>{@link Encoding#JSON}: {@code {partition, worker, lines, skipped, readNanos, countNanos, counts:
 *   {ngram: count}}}, readable anywhere (a browser, the TCP bridge), at the price of a String and a boxed
 *   Long per distinct ngram, and on one node a deep copy of the map by the bus.</li>
 * </ul>
 * bench/results/wordcount.md measures the difference end to end.
 *
 * <p>Buffer layout: format byte {@value #FORMAT}, then varints: partition, lines, skipped count, listed
 * skipped lines (each: line number, problem ordinal), read nanos, count nanos, worker name (length, UTF-8),
 * entry count, then per entry: key length, key bytes, the key's {@link NgramTable#hash} (4 bytes, little
 * endian), count. The worker computed the hash anyway; sending it saves the reducer, the one serial step of
 * the job, from hashing every key again.
 */
public final class PartialCounts {

  private static final byte FORMAT = 2;
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  /** Keys merged together, so that their cache misses overlap (see {@link NgramTable#addAll}). */
  private static final int MERGE_BATCH = 32;

  /** How a partial crosses the bus. */
  public enum Encoding {
    BUFFER, JSON;

    /** {@code buffer} or {@code json}, any case; null gives the default. */
    public static Encoding parse(String name) {
      if (name == null) {
        return BUFFER;
      }
      for (Encoding encoding : values()) {
        if (encoding.name().equalsIgnoreCase(name)) {
          return encoding;
        }
      }
      throw new IllegalArgumentException("encoding must be buffer or json, not '" + name + "'");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Everything in a partial but the counts.
   *
   * @param lines    lines in the partition, counted and skipped
   * @param skipped  skipped lines, numbered within the partition
   * @param distinct distinct ngrams in the partition
   */
  public record Summary(int partition, String worker, long lines, SkippedLines skipped, long readNanos,
                        long countNanos, int distinct) {
  }

  private PartialCounts() {
  }

  /** Encodes {@code table}'s counts with {@code summary}, into {@code scratch} (cleared first). */
  public static Buffer toBuffer(Summary summary, NgramTable table, ByteSink scratch) {
    return encode(summary, table, scratch);
  }

  /**
   * Encodes {@code summary} with no counts: the answer of a map worker that added its partition's counts to
   * the job's tables on its node itself.
   */
  public static Buffer summaryOnly(Summary summary, ByteSink scratch) {
    return encode(summary, null, scratch);
  }

  private static Buffer encode(Summary summary, NgramTable table, ByteSink scratch) {
    scratch.clear();
    scratch.append(FORMAT);
    scratch.appendVarint(summary.partition());
    scratch.appendVarint(summary.lines());
    scratch.appendVarint(summary.skipped().count());
    scratch.appendVarint(summary.skipped().first().size());
    for (SkippedLines.Line line : summary.skipped().first()) {
      scratch.appendVarint(line.number());
      scratch.appendVarint(line.problem().ordinal());
    }
    scratch.appendVarint(summary.readNanos());
    scratch.appendVarint(summary.countNanos());
    byte[] worker = summary.worker().getBytes(StandardCharsets.UTF_8);
    scratch.appendVarint(worker.length);
    scratch.append(worker);
    int entries = table == null ? 0 : table.size();
    byte[] arena = table == null ? null : table.arena();
    scratch.appendVarint(entries);
    for (int entry = 0; entry < entries; entry++) {
      int length = table.keyLength(entry);
      scratch.appendVarint(length);
      scratch.append(arena, table.keyOffset(entry), length);
      scratch.appendInt(table.keyHash(entry));
      scratch.appendVarint(table.count(entry));
    }
    return Buffer.buffer(scratch.size()).appendBytes(scratch.array(), 0, scratch.size());
  }

  /** Encodes {@code table}'s counts with {@code summary} as JSON. */
  public static JsonObject toJson(Summary summary, NgramTable table) {
    JsonObject counts = new JsonObject();
    for (int entry = 0; entry < table.size(); entry++) {
      counts.put(table.key(entry), table.count(entry));
    }
    JsonArray first = new JsonArray();
    summary.skipped().first().forEach(line -> first.add(new JsonObject()
      .put("line", line.number()).put("problem", line.problem().name())));
    return new JsonObject()
      .put("partition", summary.partition())
      .put("worker", summary.worker())
      .put("lines", summary.lines())
      .put("skipped", new JsonObject().put("count", summary.skipped().count()).put("first", first))
      .put("readNanos", summary.readNanos())
      .put("countNanos", summary.countNanos())
      .put("counts", counts);
  }

  /**
   * Adds a partial's counts to {@code into} and returns its summary; with {@code into} null, reads the summary
   * and checks the counts without adding them (a partition whose counts are in the job already).
   *
   * @throws IllegalArgumentException when the body is neither encoding, or is malformed
   */
  public static Summary mergeInto(Object body, NgramTable into) {
    if (body instanceof Buffer buffer) {
      return mergeBuffer(buffer.getBytes(), into);
    }
    if (body instanceof JsonObject json) {
      return mergeJson(json, into);
    }
    throw new IllegalArgumentException("a partial is a Buffer or a JSON object, not "
      + (body == null ? "null" : body.getClass().getSimpleName()));
  }

  private static Summary mergeBuffer(byte[] bytes, NgramTable into) {
    Reader in = new Reader(bytes);
    if (in.readByte() != FORMAT) {
      throw new IllegalArgumentException("unknown partial format " + bytes[0]);
    }
    int partition = (int) in.readVarint();
    long lines = in.readVarint();
    SkippedLines skipped = new SkippedLines();
    long skippedCount = in.readVarint();
    long listed = in.readVarint();
    for (long i = 0; i < listed; i++) {
      long line = in.readVarint();
      skipped.add(line, problem((int) in.readVarint()));
    }
    skipped.addUnlisted(skippedCount - listed);
    long readNanos = in.readVarint();
    long countNanos = in.readVarint();
    int workerLength = in.readLength();
    String worker = new String(bytes, in.position, workerLength, StandardCharsets.UTF_8);
    in.skip(workerLength);
    long entries = in.readVarint();
    int[] from = new int[MERGE_BATCH];
    int[] length = new int[MERGE_BATCH];
    int[] hashes = new int[MERGE_BATCH];
    long[] counts = new long[MERGE_BATCH];
    int batched = 0;
    for (long i = 0; i < entries; i++) {
      length[batched] = in.readLength();
      from[batched] = in.position;
      in.skip(length[batched]);
      hashes[batched] = in.readInt();
      counts[batched] = in.readVarint();
      if (++batched == MERGE_BATCH) {
        if (into != null) {
          into.addAll(bytes, from, length, hashes, counts, batched);
        }
        batched = 0;
      }
    }
    if (into != null) {
      into.addAll(bytes, from, length, hashes, counts, batched);
    }
    if (in.position != bytes.length) {
      throw new IllegalArgumentException("a partial has " + (bytes.length - in.position) + " bytes too many");
    }
    return new Summary(partition, worker, lines, skipped, readNanos, countNanos, (int) entries);
  }

  private static Summary mergeJson(JsonObject json, NgramTable into) {
    JsonObject counts = json.getJsonObject("counts");
    for (String ngram : into == null ? Set.<String>of() : counts.fieldNames()) {
      byte[] key = ngram.getBytes(StandardCharsets.UTF_8);
      into.add(key, 0, key.length, NgramTable.hash(key, 0, key.length), counts.getLong(ngram));
    }
    SkippedLines skipped = new SkippedLines();
    JsonObject skippedJson = json.getJsonObject("skipped");
    JsonArray first = skippedJson.getJsonArray("first");
    for (int i = 0; i < first.size(); i++) {
      JsonObject line = first.getJsonObject(i);
      skipped.add(line.getLong("line"), LineProblem.valueOf(line.getString("problem")));
    }
    skipped.addUnlisted(skippedJson.getLong("count") - first.size());
    return new Summary(json.getInteger("partition"), json.getString("worker"), json.getLong("lines"), skipped,
      json.getLong("readNanos"), json.getLong("countNanos"), counts.size());
  }

  private static LineProblem problem(int ordinal) {
    LineProblem[] problems = LineProblem.values();
    if (ordinal < 0 || ordinal >= problems.length) {
      throw new IllegalArgumentException("unknown line problem " + ordinal);
    }
    return problems[ordinal];
  }

  /** Reads varints with bounds checks, so a damaged partial fails with a message instead of garbage. */
  private static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    byte readByte() {
      if (position >= bytes.length) {
        throw new IllegalArgumentException("a partial ends too early");
      }
      return bytes[position++];
    }

    long readVarint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = readByte();
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("a varint of a partial is too long");
    }

    /** Four bytes, little endian. */
    int readInt() {
      if (bytes.length - position < Integer.BYTES) {
        throw new IllegalArgumentException("a partial ends too early");
      }
      int value = (int) INTS.get(bytes, position);
      position += Integer.BYTES;
      return value;
    }

    int readLength() {
      long length = readVarint();
      if (length > bytes.length - position) {
        throw new IllegalArgumentException("a partial ends too early");
      }
      return (int) length;
    }

    void skip(int length) {
      position += length;
    }
  }
}
