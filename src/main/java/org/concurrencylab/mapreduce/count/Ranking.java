package org.concurrencylab.mapreduce.count;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** The answers read off a finished table: the top ngrams and the overall sum, in one pass. */
public final class Ranking {

  /** One ngram with its total. */
  public record Entry(String ngram, long count) {
  }

  private record Candidate(int entry, long count) {
  }

  private final List<Entry> top;
  private final long totalCount;

  private Ranking(List<Entry> top, long totalCount) {
    this.top = top;
    this.totalCount = totalCount;
  }

  /**
   * Ranks {@code table}: the {@code size} largest totals, larger first, ties broken by the ngram's UTF-8
   * bytes compared unsigned (the order of expected.json). O(n log size), no String but for the winners.
   */
  public static Ranking of(NgramTable table, int size) {
    byte[] arena = table.arena();
    Comparator<Candidate> better = Comparator.comparingLong(Candidate::count)
      .thenComparing((a, b) -> -Arrays.compareUnsigned(
        arena, table.keyOffset(a.entry()), table.keyOffset(a.entry()) + table.keyLength(a.entry()),
        arena, table.keyOffset(b.entry()), table.keyOffset(b.entry()) + table.keyLength(b.entry())));
    PriorityQueue<Candidate> best = new PriorityQueue<>(Math.max(1, size + 1), better); // worst on top
    long total = 0;
    for (int entry = 0; entry < table.size(); entry++) {
      long count = table.count(entry);
      total += count;
      if (size == 0) {
        continue;
      }
      if (best.size() < size) {
        best.add(new Candidate(entry, count));
      } else if (count >= best.peek().count()) {
        Candidate candidate = new Candidate(entry, count);
        if (better.compare(candidate, best.peek()) > 0) {
          best.poll();
          best.add(candidate);
        }
      }
    }
    List<Candidate> ranked = new ArrayList<>(best);
    ranked.sort(better.reversed());
    List<Entry> top = new ArrayList<>(ranked.size());
    ranked.forEach(c -> top.add(new Entry(new String(arena, table.keyOffset(c.entry()), table.keyLength(c.entry()),
      StandardCharsets.UTF_8), c.count())));
    return new Ranking(List.copyOf(top), total);
  }

  public List<Entry> top() {
    return top;
  }

  /** The sum of every ngram's total: the file's total match_count over the counted lines. */
  public long totalCount() {
    return totalCount;
  }
}
