package org.concurrencylab.measure;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process: every thread (event loops, workers, JIT compilers, GC), user and kernel, like
 * Python's {@code time.process_time()} that the peers report. Load clients read it before and after their timed
 * part; {@link ThreadCpu} splits the same time by thread.
 */
public final class ProcessCpu {

  private ProcessCpu() {
  }

  /** Nanoseconds of CPU so far, or -1 where the JVM does not tell (the difference of two readings is then 0). */
  public static long nanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
      ? os.getProcessCpuTime() : -1;
  }
}
