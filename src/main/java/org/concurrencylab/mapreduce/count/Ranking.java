package org.concurrencylab.mapreduce.count;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The answers read off finished tables: the top ngrams, the overall sum and the distinct ngrams, in one pass.
 * The tables may be one (a reducer's) or several whose keys may overlap (each map worker's own table of a
 * job): {@link #ofUnion} ranks them as if they were one table, without building it.
 */
public final class Ranking {

  /** One ngram with its total. */
  public record Entry(String ngram, long count) {
  }

  private record Candidate(NgramTable table, int entry, long count) {
  }

  private static final Comparator<Candidate> BETTER = Comparator.comparingLong(Candidate::count)
    .thenComparing((a, b) -> -Arrays.compareUnsigned(
      a.table().arena(), a.table().keyOffset(a.entry()), a.table().keyOffset(a.entry()) + a.table().keyLength(a.entry()),
      b.table().arena(), b.table().keyOffset(b.entry()), b.table().keyOffset(b.entry()) + b.table().keyLength(b.entry())));

  private final List<Entry> top;
  private final long totalCount;
  private final int distinct;

  private Ranking(List<Entry> top, long totalCount, int distinct) {
    this.top = top;
    this.totalCount = totalCount;
    this.distinct = distinct;
  }

  /**
   * Ranks {@code table}: the {@code size} largest totals, larger first, ties broken by the ngram's UTF-8
   * bytes compared unsigned (the order of expected.json). O(n log size), no String but for the winners.
   */
  public static Ranking of(NgramTable table, int size) {
    return rank(List.of(table), List.of(new BitSet()), size);
  }

  /**
   * Ranks the union of {@code tables} as {@link #of} ranks one table. A key held by several tables counts
   * once, with the sum of its counts: it is found with {@link NgramTable#matchKeys} for every pair of tables,
   * its later tables' counts are added to its first table's entry, and its entries in the later tables are
   * skipped. Changes the counts of the tables: call it once, when they are finished.
   */
  public static Ranking ofUnion(List<NgramTable> tables, int size) {
    List<BitSet> skipped = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      skipped.add(new BitSet());
    }
    for (int i = 0; i < tables.size(); i++) {
      NgramTable first = tables.get(i);
      for (int j = i + 1; j < tables.size(); j++) {
        NgramTable later = tables.get(j);
        BitSet skip = skipped.get(j);
        BitSet firstSkip = skipped.get(i);
        NgramTable.matchKeys(first, later, (entryOfFirst, entryOfLater) -> {
          if (!firstSkip.get(entryOfFirst)) { // else an earlier table holds the key and adds this count itself
            first.addTo(entryOfFirst, later.count(entryOfLater));
          }
          skip.set(entryOfLater);
        });
      }
    }
    return rank(tables, skipped, size);
  }

  private static Ranking rank(List<NgramTable> tables, List<BitSet> skipped, int size) {
    PriorityQueue<Candidate> best = new PriorityQueue<>(Math.max(1, size + 1), BETTER); // worst on top
    long total = 0;
    int distinct = 0;
    for (int t = 0; t < tables.size(); t++) {
      NgramTable table = tables.get(t);
      BitSet skip = skipped.get(t);
      for (int entry = 0; entry < table.size(); entry++) {
        if (skip.get(entry)) {
          continue;
        }
        distinct++;
        long count = table.count(entry);
        total += count;
        if (size == 0) {
          continue;
        }
        if (best.size() < size) {
          best.add(new Candidate(table, entry, count));
        } else if (count >= best.peek().count()) {
          Candidate candidate = new Candidate(table, entry, count);
          if (BETTER.compare(candidate, best.peek()) > 0) {
            best.poll();
            best.add(candidate);
          }
        }
      }
    }
    List<Candidate> ranked = new ArrayList<>(best);
    ranked.sort(BETTER.reversed());
    List<Entry> top = new ArrayList<>(ranked.size());
    ranked.forEach(c -> top.add(new Entry(new String(c.table().arena(), c.table().keyOffset(c.entry()),
      c.table().keyLength(c.entry()), StandardCharsets.UTF_8), c.count())));
    return new Ranking(List.copyOf(top), total, distinct);
  }

  public List<Entry> top() {
    return top;
  }

  /** The sum of every ngram's total: the file's total match_count over the counted lines. */
  public long totalCount() {
    return totalCount;
  }

  /** Distinct ngrams over the ranked table(s). */
  public int distinct() {
    return distinct;
  }
}
