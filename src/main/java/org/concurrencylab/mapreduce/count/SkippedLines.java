package org.concurrencylab.mapreduce.count;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The lines a count skipped: how many, and the first {@value #KEPT} with their line numbers and reasons
 * (enough to find the fault, bounded whatever the file holds).
 */
public final class SkippedLines {

  /** How many skipped lines are kept with their numbers. */
  public static final int KEPT = 5;

  /** One skipped line: its 1-based number (within the partition, or the file once placed) and why. */
  public record Line(long number, LineProblem problem) {
  }

  private long count;
  private final List<Line> first = new ArrayList<>(KEPT);

  public void add(long lineNumber, LineProblem problem) {
    count++;
    if (first.size() < KEPT) {
      first.add(new Line(lineNumber, problem));
    }
  }

  /** Counts {@code count} more skipped lines whose numbers were not kept. */
  public void addUnlisted(long count) {
    this.count += count;
  }

  /** Adds a partition's skipped lines, whose numbers start after {@code linesBefore} lines of the file. */
  public void addAll(SkippedLines partition, long linesBefore) {
    count += partition.count;
    for (Line line : partition.first) {
      if (first.size() < KEPT) {
        first.add(new Line(linesBefore + line.number(), line.problem()));
      }
    }
  }

  public long count() {
    return count;
  }

  public List<Line> first() {
    return Collections.unmodifiableList(first);
  }

  public void clear() {
    count = 0;
    first.clear();
  }
}
