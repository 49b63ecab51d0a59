package org.concurrencylab.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lab as a real process: {@code java ... org.concurrencylab.app.LabMain args} on the test classpath,
 * with its own environment. For what only a process shows: exit codes, signals, what it prints.
 */
public final class LabProcess implements AutoCloseable {

  private final Process process;
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

  private final List<Thread> pumps;

  private LabProcess(Process process) {
    this.process = process;
    this.pumps = List.of(pump(process.getInputStream(), stdout, "stdout"),
      pump(process.getErrorStream(), stderr, "stderr"));
  }

  /** Starts the lab (or a command of it) with {@code env} added to a clean {@code LAB_*}-free environment. */
  public static LabProcess start(Path workDir, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-cp", System.getProperty("java.class.path"),
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "-Xshare:auto", "-XX:TieredStopAtLevel=1",
      "org.concurrencylab.app.LabMain"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("LAB_"));
    builder.environment().putAll(env);
    try {
      return new LabProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread pump(java.io.InputStream in, List<String> lines, String name) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines.add(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "lab-process-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Waits until a line of stdout contains {@code text}. */
  public void awaitStdout(String text, Duration timeout) {
    Await.until(() -> stdout().stream().anyMatch(line -> line.contains(text)) || !process.isAlive(), timeout,
      "stdout line containing '" + text + "'");
    if (stdout().stream().noneMatch(line -> line.contains(text))) {
      throw new AssertionError("the process exited (" + process.exitValue() + ") before printing '" + text
        + "'; stderr:\n" + String.join("\n", stderr()));
    }
  }

  /**
   * Waits until a line of stderr contains {@code text}. Each stream has its own reader thread, so a line the
   * process wrote to stderr before a stdout line may still be unread when that stdout line has arrived.
   */
  public void awaitStderr(String text, Duration timeout) {
    Await.until(() -> stderr().stream().anyMatch(line -> line.contains(text)), timeout,
      "stderr line containing '" + text + "'");
  }

  /** Waits for the exit and returns its code, failing after {@code timeout}. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the process did not exit within " + timeout + "; stderr:\n" + String.join("\n", stderr()));
      }
      for (Thread pump : pumps) {
        pump.join(5_000); // the last lines of output, read after the exit
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** Sends SIGTERM. */
  public void terminate() {
    process.destroy();
  }

  public long pid() {
    return process.pid();
  }

  public List<String> stdout() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  public List<String> stderr() {
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
