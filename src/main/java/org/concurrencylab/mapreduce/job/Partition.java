package org.concurrencylab.mapreduce.job;

/** A byte range {@code [start, end)} of the file that begins at a line start and ends after a newline (or at EOF). */
public record Partition(int index, long start, long end) {

  public long bytes() {
    return end - start;
  }
}
