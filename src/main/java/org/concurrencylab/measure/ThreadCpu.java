package org.concurrencylab.measure;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * CPU time of this JVM's threads by role (event loop, the service's I/O threads, the JDK's process reaper,
 * the JIT compilers, the garbage collector...), read from Linux's {@code /proc/self/task}: unlike
 * {@code ThreadMXBean}, it also sees the JVM's own threads, which on two cores compete with the event loop.
 * {@code bench process} and {@code bench db-queries --threads} report the difference over their timed part. Threads that ended meanwhile are not
 * counted (the service's I/O threads live 60 s once idle, so over a benchmark they all stay).
 */
public final class ThreadCpu {

  private static final Path TASKS = Path.of("/proc/self/task");

  /** Per thread id: role and CPU ticks (user + system, in clock ticks of 10 ms). */
  private final Map<String, Long> ticks;
  private final Map<String, String> roles;

  private ThreadCpu(Map<String, Long> ticks, Map<String, String> roles) {
    this.ticks = ticks;
    this.roles = roles;
  }

  /** Now; empty where there is no {@code /proc} (not Linux). */
  public static ThreadCpu now() {
    Map<String, Long> ticks = new HashMap<>();
    Map<String, String> roles = new HashMap<>();
    eachThread(task -> read(task, ticks, roles));
    return new ThreadCpu(ticks, roles);
  }

  /**
   * Calls {@code reader} with the {@code /proc/self/task/<tid>} directory of each of this JVM's threads; with none
   * where there is no {@code /proc} (not Linux). A thread may end before its files are read: readers skip it.
   */
  public static void eachThread(Consumer<Path> reader) {
    if (Files.isDirectory(TASKS)) {
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
        tasks.forEach(reader);
      } catch (IOException e) {
        // /proc vanished under us: what was read stands
      }
    }
  }

  private static void read(Path task, Map<String, Long> ticks, Map<String, String> roles) {
    try {
      String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
      // pid (comm) state ppid ... : fields 14 and 15 (utime, stime) counted after the ')' that ends comm
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      String id = task.getFileName().toString();
      ticks.put(id, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
      roles.put(id, role(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))));
    } catch (IOException | RuntimeException e) {
      // the thread ended between listing and reading
    }
  }

  /** A thread's name (as Linux keeps it: its first 15 bytes) without its number: one role per pool. */
  public static String role(String comm) {
    if (comm.startsWith("vert.x-eventloo")) {
      return "event loop";
    }
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return "JIT " + comm.substring(0, 2);
    }
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
      return "GC and safepoints";
    }
    return comm.replaceAll("[-#]?[0-9]+$", "");
  }

  /** Milliseconds of CPU per role since {@code before}, largest first; roles under 10 ms are left out. */
  public JsonObject since(ThreadCpu before) {
    Map<String, Long> byRole = new TreeMap<>();
    ticks.forEach((id, now) -> byRole.merge(roles.get(id), now - before.ticks.getOrDefault(id, 0L), Long::sum));
    JsonObject millis = new JsonObject();
    byRole.entrySet().stream()
      .filter(e -> e.getValue() > 0)
      .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
      .forEach(e -> millis.put(e.getKey(), e.getValue() * 10));
    return millis;
  }

  /** The milliseconds of {@link #since} as lines of text ("  role   12.34 s"), for a terminal. */
  public static String table(JsonObject millisByRole) {
    StringBuilder text = new StringBuilder();
    millisByRole.forEach(e -> text.append(String.format(java.util.Locale.ROOT, "  %-28s %6.2f s%n", e.getKey(),
      ((Number) e.getValue()).longValue() / 1000.0)));
    return text.toString();
  }
}
