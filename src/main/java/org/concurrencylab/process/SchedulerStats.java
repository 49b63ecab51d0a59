package org.concurrencylab.process;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.measure.ThreadCpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Linux's scheduler did to this JVM's threads, by role, for {@code bench process}: how long they waited
 * on a run queue for a core after they became runnable ({@code /proc/self/task/<tid>/schedstat}, second field)
 * and how often they gave up the core by themselves (a wait: a wake-up to come) or were preempted
 * ({@code voluntary_ctxt_switches} and {@code nonvoluntary_ctxt_switches} in {@code status}). The event loop's
 * run-queue wait per wake-up is the part of a timer's lateness that no code on the loop can remove: the loop
 * was ready, the core was not. Threads that ended meanwhile are not counted.
 */
final class SchedulerStats {

  /** Per thread id: role, and {run-queue wait ns, voluntary switches, involuntary switches}. */
  private final Map<String, String> roles;
  private final Map<String, long[]> counters;

  private SchedulerStats(Map<String, String> roles, Map<String, long[]> counters) {
    this.roles = roles;
    this.counters = counters;
  }

  /** Now; empty where there is no {@code /proc/self/task/<tid>/schedstat} (not Linux, or no schedstats). */
  static SchedulerStats now() {
    Map<String, String> roles = new HashMap<>();
    Map<String, long[]> counters = new HashMap<>();
    ThreadCpu.eachThread(task -> read(task, roles, counters));
    return new SchedulerStats(roles, counters);
  }

  private static void read(Path task, Map<String, String> roles, Map<String, long[]> counters) {
    try {
      String[] schedstat = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII).trim().split(" ");
      long voluntary = 0;
      long involuntary = 0;
      String name = "";
      for (String line : Files.readAllLines(task.resolve("status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("Name:")) {
          name = line.substring(5).trim();
        } else if (line.startsWith("voluntary_ctxt_switches:")) {
          voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
          involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      String id = task.getFileName().toString();
      roles.put(id, ThreadCpu.role(name)); // the same roles as the CPU table beside it
      counters.put(id, new long[] {Long.parseLong(schedstat[1]), voluntary, involuntary});
    } catch (IOException | RuntimeException e) {
      // the thread ended between listing and reading
    }
  }

  /**
   * Per role since {@code before}, divided by {@code per} (e.g. the spawns): run-queue wait in ms, voluntary
   * and involuntary context switches; and the mean run-queue wait per switch. Roles with no switch are left out.
   */
  JsonObject since(SchedulerStats before, int per) {
    Map<String, long[]> byRole = new TreeMap<>();
    counters.forEach((id, now) -> {
      long[] then = before.counters.getOrDefault(id, new long[3]);
      long[] sum = byRole.computeIfAbsent(roles.get(id), r -> new long[3]);
      for (int i = 0; i < 3; i++) {
        sum[i] += now[i] - then[i];
      }
    });
    JsonObject result = new JsonObject();
    byRole.forEach((role, sum) -> {
      if (sum[1] + sum[2] > 0) {
        result.put(role, new JsonObject()
          .put("runqueue_wait_ms", round(sum[0] / 1e6 / per))
          .put("wakeups", round((double) sum[1] / per))
          .put("preempted", round((double) sum[2] / per))
          // each switch puts the thread back on a run queue later (woken, or preempted): its mean wait there
          .put("wait_each_ms", round(sum[0] / 1e6 / (sum[1] + sum[2]))));
      }
    });
    return result;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
