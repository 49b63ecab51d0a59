package org.concurrencylab.mapreduce.ngrams;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The true answers for a generated file, gathered while it is written: the total of every hand-placed
 * ngram, the overall sum, the number of lines, and the top ngrams. Written as {@code FILE.expected.json}:
 * <pre>{"lines": 1000000, "distinct": 68000, "total_match_count": ..., "ngrams": {"Aardvark": 15122, ...},
 *  "top": [{"ngram": "and", "count": ...}, ...]}</pre>
 * Ties in the top are broken by the ngram's UTF-8 bytes, unsigned, ascending (what the counter does too).
 */
final class ExpectedTotals {

  /** One ngram's total: the top's element. */
  private record Total(byte[] ngram, long count) {
  }

  /** Larger counts first, then smaller bytes first. */
  private static final Comparator<Total> RANKING = Comparator.comparingLong(Total::count).reversed()
    .thenComparing(Total::ngram, Arrays::compareUnsigned);

  private final List<String> placed;
  private final long[] placedTotals;
  private final int top;
  /** The best {@code top} so far, worst first so it can be dropped in O(log n). */
  private final PriorityQueue<Total> best;
  private long lines;
  private long matchCount;

  ExpectedTotals(List<String> placed, int top) {
    this.placed = placed;
    this.placedTotals = new long[placed.size()];
    this.top = top;
    this.best = new PriorityQueue<>(RANKING.reversed());
  }

  void addNgram(long index, byte[] bytes, int from, int length, long total, int rows) {
    if (index < placedTotals.length) {
      placedTotals[(int) index] += total;
    }
    lines += rows;
    matchCount += total;
    if (best.size() < top || total >= best.peek().count()) {
      Total candidate = new Total(Arrays.copyOfRange(bytes, from, from + length), total);
      best.add(candidate);
      if (best.size() > top) {
        best.poll();
      }
    }
  }

  /** Folds a chunk's totals into these. */
  void add(ExpectedTotals chunk) {
    for (int i = 0; i < placedTotals.length; i++) {
      placedTotals[i] += chunk.placedTotals[i];
    }
    lines += chunk.lines;
    matchCount += chunk.matchCount;
    for (Total total : chunk.best) {
      best.add(total);
      if (best.size() > top) {
        best.poll();
      }
    }
  }

  JsonObject toJson(Path file, long seed, long requestedLines, long bytes, long distinct) {
    if (lines != requestedLines) {
      throw new IllegalStateException("wrote " + lines + " lines instead of " + requestedLines);
    }
    JsonObject named = new JsonObject();
    for (String ngram : NgramModel.named()) {
      named.put(ngram, placedTotals[placed.indexOf(ngram)]);
    }
    List<Total> ranked = new ArrayList<>(best);
    ranked.sort(RANKING);
    JsonArray topList = new JsonArray();
    ranked.forEach(total -> topList.add(new JsonObject()
      .put("ngram", new String(total.ngram(), StandardCharsets.UTF_8)).put("count", total.count())));
    return new JsonObject()
      .put("file", file.getFileName().toString())
      .put("generator", "concurrency-lab gen-ngrams")
      .put("seed", seed)
      .put("lines", lines)
      .put("bytes", bytes)
      .put("distinct", distinct)
      .put("total_match_count", matchCount)
      .put("ngrams", named)
      .put("top", topList);
  }

  void write(Path expectedFile, Path file, long seed, long requestedLines, long bytes, long distinct)
    throws IOException {
    // A file too small to reach a hand-placed ngram reports it as 0, which is its true total.
    Files.writeString(expectedFile, toJson(file, seed, requestedLines, bytes, distinct).encodePrettily() + "\n");
  }
}
