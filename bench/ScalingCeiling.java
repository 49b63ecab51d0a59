import org.concurrencylab.mapreduce.count.LineCounter;
import org.concurrencylab.mapreduce.count.NgramTable;
import org.concurrencylab.mapreduce.count.SkippedLines;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This machine's own 1 -> 2 thread scaling ceiling for word-count-like work, so that the lab's 1 -> 2 worker
 * speed-up has a reference. Trivially parallel loops, nothing shared but a partition counter, no merge:
 *
 * <ul>
 *   <li>{@code alu}: a multiply-xorshift loop in registers (no memory traffic): the cores' own scaling;</li>
 *   <li>{@code partition}: each thread reads 60,000-line byte ranges of the file (FileChannel, page cache) and
 *   counts them with the lab's LineCounter into its own small table, cleared per range (the map worker's work
 *   without the bus, the encoding and the merge);</li>
 *   <li>{@code accumulate}: the same, but each thread counts all its ranges into ONE table of its own
 *   (per-thread open-addressing tables of millions of keys: the cache and TLB misses of the inserts, and the
 *   memory bandwidth two threads share);</li>
 *   <li>{@code merge}: each range counted into a small table, which is then added to the thread's own job
 *   table ({@code NgramTable.addAllFrom}): exactly a local map worker's work since session 5, minus the bus.</li>
 * </ul>
 *
 * The same total work is done by 1 thread and split over 2; 1 and 2 alternate in every round so that the
 * machine's other load hits both alike. Prints each run and the medians.
 *
 * <p>Run: {@code java -Xms512m -Xmx2g -cp target/concurrency-lab.jar bench/ScalingCeiling.java FILE [rounds]}
 * (the lab's JVM flags). Results and what they mean: bench/results/wordcount.md.
 */
public class ScalingCeiling {

  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  static final int PARTITION_LINES = 60_000;

  record Range(long start, int length) {
  }

  record Run(double wall, double threadCpu) {
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Range> ranges = split(file);
    long bytes = ranges.stream().mapToLong(Range::length).sum();
    System.out.printf(Locale.ROOT, "file %s: %d bytes, %d ranges; cores %d%n", file, bytes, ranges.size(),
      Runtime.getRuntime().availableProcessors());
    String[] modes = {"alu", "partition", "accumulate", "merge"};
    // Warm-up: the JIT compiles every loop before the timed rounds.
    for (String mode : modes) {
      run(mode, 1, file, ranges);
      run(mode, 2, file, ranges);
    }
    double[][][] walls = new double[modes.length][2][rounds];
    double[][][] cpus = new double[modes.length][2][rounds];
    for (int round = 0; round < rounds; round++) {
      for (int m = 0; m < modes.length; m++) {
        for (int threads = 1; threads <= 2; threads++) {
          Run r = run(modes[m], threads, file, ranges);
          walls[m][threads - 1][round] = r.wall();
          cpus[m][threads - 1][round] = r.threadCpu();
          System.out.printf(Locale.ROOT, "round %d %-10s %d thread(s): %.3f s wall, %.3f thread cpu-s%n",
            round + 1, modes[m], threads, r.wall(), r.threadCpu());
        }
      }
    }
    System.out.println();
    System.out.println("| Work | 1 thread (median / best) | 2 threads (median / best) | Speed-up: median of per-round ratios (range) | best / best | Threads' CPU 1 -> 2 (median) |");
    System.out.println("|---|---|---|---|---|---|");
    for (int m = 0; m < modes.length; m++) {
      double[] ratios = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        ratios[round] = walls[m][0][round] / walls[m][1][round];
      }
      System.out.printf(Locale.ROOT, "| %s | %.3f / %.3f s | %.3f / %.3f s | %.2fx (%.2f-%.2f) | %.2fx | %.3f -> %.3f cpu-s |%n",
        modes[m], median(walls[m][0]), min(walls[m][0]), median(walls[m][1]), min(walls[m][1]), median(ratios),
        min(ratios), max(ratios), min(walls[m][0]) / min(walls[m][1]), median(cpus[m][0]), median(cpus[m][1]));
    }
  }

  /** Runs the whole work once on {@code threads} threads; returns the wall time and the threads' CPU. */
  static Run run(String mode, int threads, Path file, List<Range> ranges) throws Exception {
    AtomicInteger next = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    double[] cpu = new double[threads];
    long[] sink = new long[threads];
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          long cpuStarted = THREADS.getCurrentThreadCpuTime();
          sink[me] = switch (mode) {
            case "alu" -> alu(400_000_000L / threads, me);
            case "partition" -> count(file, ranges, next, mode);
            case "accumulate" -> count(file, ranges, next, mode);
            default -> count(file, ranges, next, mode);
          };
          cpu[me] = (THREADS.getCurrentThreadCpuTime() - cpuStarted) / 1e9;
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      thread.start();
      started.add(thread);
    }
    start.await();
    long began = System.nanoTime();
    for (Thread thread : started) {
      thread.join();
    }
    double wall = (System.nanoTime() - began) / 1e9;
    if (Arrays.stream(sink).sum() == 42) {
      System.out.print(""); // keeps the results alive
    }
    return new Run(wall, Arrays.stream(cpu).sum());
  }

  static long alu(long iterations, long seed) {
    long x = seed + 0x9E3779B97F4A7C15L;
    for (long i = 0; i < iterations; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      x *= 0xBF58476D1CE4E5B9L;
    }
    return x;
  }

  /** Counts ranges taken from {@code next} until none is left; returns the lines (kept alive). */
  static long count(Path file, List<Range> ranges, AtomicInteger next, String mode) throws IOException {
    int longest = ranges.stream().mapToInt(Range::length).max().orElse(0);
    byte[] buffer = new byte[longest + LineCounter.PADDING];
    boolean accumulate = mode.equals("accumulate");
    boolean merge = mode.equals("merge");
    // The lab sizes a worker's job table for its share of the file's keys (about one per 300 bytes).
    long fileBytes = ranges.stream().mapToLong(Range::length).sum();
    NgramTable table = new NgramTable(accumulate ? (int) (fileBytes / 300 / 2) : 16_384);
    NgramTable job = merge ? new NgramTable((int) (fileBytes / 300 / 2)) : null;
    SkippedLines skipped = new SkippedLines();
    long lines = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      int i;
      while ((i = next.getAndIncrement()) < ranges.size()) {
        Range range = ranges.get(i);
        ByteBuffer into = ByteBuffer.wrap(buffer, 0, range.length());
        while (into.hasRemaining()) {
          channel.read(into, range.start() + into.position());
        }
        if (!accumulate) {
          table.clear();
        }
        lines += LineCounter.count(buffer, range.length(), table, skipped);
        if (merge) {
          job.addAllFrom(table);
        }
      }
    }
    return lines + table.size() + (job == null ? 0 : job.size());
  }

  /** Byte ranges of about {@value #PARTITION_LINES} lines, each ending after a newline. */
  static List<Range> split(Path file) throws IOException {
    List<Range> ranges = new ArrayList<>();
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long size = in.length();
      byte[] head = new byte[(int) Math.min(size, 1 << 20)];
      in.readFully(head);
      long newlines = 0;
      for (byte b : head) {
        newlines += b == '\n' ? 1 : 0;
      }
      long target = Math.max(1, head.length / Math.max(1, newlines)) * PARTITION_LINES;
      long start = 0;
      while (start < size) {
        long end = Math.min(size, start + target);
        if (end < size) {
          in.seek(end);
          while (end < size && in.read() != '\n') {
            end++;
          }
          end++;
        }
        ranges.add(new Range(start, (int) (end - start)));
        start = end;
      }
    }
    return ranges;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElse(0);
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }
}
