package org.concurrencylab.mapreduce.job;

import org.concurrencylab.bus.Failure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a file into partitions of about {@code partitionLines} lines without reading it whole.
 *
 * <p>How lines become bytes: the average line length is measured on up to {@value #SAMPLES} windows of
 * {@value #SAMPLE_BYTES} bytes spread over the file, and a partition is {@code partitionLines x average}
 * bytes, at least {@value #MIN_PARTITION_BYTES} and at most {@value #MAX_PARTITION_BYTES}. Each cut is then
 * moved forward to just after the next newline, so every partition holds whole lines; the workers report
 * how many lines each one really had (within a few percent of the target on a regular file).
 *
 * <p>Blocking: call it from a worker thread.
 */
final class FileSplitter {

  static final int SAMPLES = 8;
  static final int SAMPLE_BYTES = 64 * 1024;
  static final int MIN_PARTITION_BYTES = 4 * 1024;
  /** Bounds a worker's read buffer whatever the request says. */
  static final int MAX_PARTITION_BYTES = 64 * 1024 * 1024;
  /** A "line" longer than this is not a 1-gram row: the file is refused rather than read into memory. */
  static final int MAX_LINE_BYTES = 1024 * 1024;
  private static final int PROBE_BYTES = 512;

  private FileSplitter() {
  }

  /** The plan: the partitions, the measured bytes per line, and the target bytes per partition. */
  record Plan(List<Partition> partitions, long fileBytes, double bytesPerLine, long partitionBytes) {
  }

  static Plan split(Path path, int partitionLines) throws IOException {
    try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = file.size();
      if (size == 0) {
        throw Failure.UNPROCESSABLE.exception(path + " is empty: there is nothing to count");
      }
      double bytesPerLine = averageLineBytes(file, size);
      long target = (long) Math.min(MAX_PARTITION_BYTES, Math.max(MIN_PARTITION_BYTES, partitionLines * bytesPerLine));
      List<Partition> partitions = new ArrayList<>((int) Math.min(1 << 20, size / target + 1));
      long start = 0;
      while (start < size) {
        long end = start + target >= size ? size : lineEndAfter(file, path, start + target, size);
        partitions.add(new Partition(partitions.size(), start, end));
        start = end;
      }
      return new Plan(partitions, size, bytesPerLine, target);
    }
  }

  private static double averageLineBytes(FileChannel file, long size) throws IOException {
    ByteBuffer window = ByteBuffer.allocate(SAMPLE_BYTES);
    long sampled = 0;
    long newlines = 0;
    int samples = size <= (long) SAMPLES * SAMPLE_BYTES ? 1 : SAMPLES;
    for (int i = 0; i < samples; i++) {
      long at = samples == 1 ? 0 : (size - SAMPLE_BYTES) / (samples - 1) * i;
      window.clear();
      int read = readAt(file, window, at);
      for (int j = 0; j < read; j++) {
        if (window.get(j) == '\n') {
          newlines++;
        }
      }
      sampled += read;
    }
    return newlines == 0 ? Math.max(1, sampled) : (double) sampled / newlines;
  }

  /** The position just after the first newline at or after {@code at - 1} (a cut that lands after one stays). */
  private static long lineEndAfter(FileChannel file, Path path, long at, long size) throws IOException {
    ByteBuffer probe = ByteBuffer.allocate(PROBE_BYTES);
    long position = at - 1;
    while (position < size) {
      if (position - at > MAX_LINE_BYTES) {
        throw Failure.UNPROCESSABLE.exception(path + " has a line longer than " + MAX_LINE_BYTES
          + " bytes near byte " + at + ": not a 1-gram file");
      }
      probe.clear();
      int read = readAt(file, probe, position);
      for (int i = 0; i < read; i++) {
        if (probe.get(i) == '\n') {
          return position + i + 1;
        }
      }
      position += read;
    }
    return size;
  }

  private static int readAt(FileChannel file, ByteBuffer into, long position) throws IOException {
    int total = 0;
    while (into.hasRemaining()) {
      int read = file.read(into, position + total);
      if (read < 0) {
        break;
      }
      total += read;
    }
    return total;
  }
}
