package org.concurrencylab.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU seconds per thread of this JVM, read from {@code /proc/self/task/<tid>/stat} (Linux), grouped by thread
 * name with digits dropped ("C2 CompilerThread0" and "...1" are one group). Unlike ThreadMXBean it sees the
 * JVM's own threads too (JIT compilers, GC), which is where a short run's CPU often goes.
 */
final class ThreadCpu {

  private static final Path TASKS = Path.of("/proc/self/task");
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

  private ThreadCpu() {
  }

  /** CPU seconds per thread id, with the thread's name; empty when /proc is not there. */
  static Map<String, Double> snapshot() {
    Map<String, Double> byThread = new HashMap<>();
    if (!Files.isDirectory(TASKS)) {
      return byThread;
    }
    try (Stream<Path> tasks = Files.list(TASKS)) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String[] fields = stat.substring(close + 2).split(" ");
          double seconds = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
          byThread.put(task.getFileName() + " " + stat.substring(open + 1, close), seconds);
        } catch (IOException | RuntimeException gone) {
          // the thread ended between the listing and the read
        }
      });
    } catch (IOException e) {
      return byThread;
    }
    return byThread;
  }

  /** CPU seconds spent between two snapshots, per thread-name group, largest first in the text. */
  static String delta(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> groups = new TreeMap<>();
    after.forEach((thread, seconds) -> {
      double spent = seconds - before.getOrDefault(thread, 0.0);
      if (spent > 0) {
        String group = thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]+", "#");
        groups.merge(group, spent, Double::sum);
      }
    });
    StringBuilder text = new StringBuilder();
    groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
      .forEach(e -> text.append(String.format(java.util.Locale.ROOT, "  %-28s %6.2f s%n", e.getKey(), e.getValue())));
    return text.toString();
  }
}
