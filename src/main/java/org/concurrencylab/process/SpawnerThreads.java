package org.concurrencylab.process;

import org.concurrencylab.spi.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that start children and wait for their exits, each at a lower CPU priority (a higher nice value,
 * {@code process_nice}) than the event loops. On Linux the nice value belongs to a thread, and a child starts
 * with the nice value of the thread that forked it: so the work of starting a child, the child itself, and the
 * JDK's reaper thread (created by the first thread that starts a child) all yield the CPU to an event loop that
 * has a timer due or a request to answer. Subprocesses are background work; on a machine of two cores a child
 * that execs and a thread that forks would otherwise make the event loop wait for a core.
 *
 * <p>A thread may raise its own nice value without privilege (never lower it again). Java has no call for
 * it before Java 22's foreign functions, so each new thread runs {@code renice --priority N -p <its id>} once,
 * as its first act (the thread's id is the name {@code /proc/thread-self} links to). The cost, one short
 * child per thread, is paid when the pool grows, not per spawn. Where that is impossible (not Linux, no
 * {@code renice}) the threads run at the JVM's priority and this is logged once. {@code process_nice = 0}
 * turns it off.
 */
final class SpawnerThreads implements ThreadFactory {

  private static final Logger log = LoggerFactory.getLogger(SpawnerThreads.class);
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");
  private static final Path RENICE = Path.of("/usr/bin/renice");
  private static final long RENICE_TIMEOUT_MS = 5_000;
  private static final AtomicBoolean warned = new AtomicBoolean();

  private final String prefix;
  private final int nice;
  private final AtomicInteger count = new AtomicInteger();

  /**
   * @param nice the nice value of the threads and their children, 0 (the JVM's own) to 19
   * @throws StartupException naming {@code process_nice} when it is out of range
   */
  SpawnerThreads(String prefix, int nice) {
    if (nice < 0 || nice > 19) {
      throw new StartupException("process_nice", "must be between 0 (the lab's own priority) and 19, not " + nice);
    }
    this.prefix = prefix;
    this.nice = nice;
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(() -> {
      lowerOwnPriority();
      task.run();
    }, prefix + count.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  /** Sets the calling thread's nice value to {@link #nice} unless it already runs at least that nice. */
  private void lowerOwnPriority() {
    if (nice == 0) {
      return;
    }
    try {
      Path self = THREAD_SELF.toRealPath(); // /proc/<pid>/task/<tid>
      if (niceOf(self) >= nice) {
        return;
      }
      Process renice = new ProcessBuilder(RENICE.toString(), "--priority", String.valueOf(nice),
          "-p", self.getFileName().toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
      if (!renice.waitFor(RENICE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        renice.destroyForcibly();
        warnOnce("renice did not finish within " + RENICE_TIMEOUT_MS + " ms");
      } else if (renice.exitValue() != 0 || niceOf(self) < nice) {
        warnOnce("renice exited with " + renice.exitValue());
      }
    } catch (IOException | RuntimeException e) {
      warnOnce(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The nice value of a thread: field 19 of its stat file (after the name in parentheses, which may hold spaces). */
  static int niceOf(Path task) throws IOException {
    String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Integer.parseInt(fields[16]); // fields[0] is field 3 (the state)
  }

  private void warnOnce(String why) {
    if (warned.compareAndSet(false, true)) {
      log.warn("could not lower the priority of the threads that start children to nice {} ({}); "
        + "they and their children run at the lab's priority", nice, why);
    }
  }
}
