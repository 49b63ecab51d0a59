package org.concurrencylab.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress display for long commands: on a terminal, one bar redrawn in place
 * ({@code [#####.....]  45%  4500/10000  1234/s  errors 0}); otherwise (a pipe, CI) a plain line at most
 * every {@code plainIntervalMs}, so logs stay readable.
 */
public final class ProgressBar {

  private static final int WIDTH = 30;

  private final PrintStream out;
  private final boolean terminal;
  private final long plainIntervalMs;
  private long lastPlainMs;
  private boolean drawn;

  public ProgressBar(PrintStream out, boolean terminal, long plainIntervalMs) {
    this.out = out;
    this.terminal = terminal;
    this.plainIntervalMs = plainIntervalMs;
  }

  /** A bar on stdout, drawn in place when stdout is a terminal, else a line every second. */
  public static ProgressBar forStdout() {
    return new ProgressBar(System.out, System.console() != null, 1_000);
  }

  /**
   * Shows progress: {@code done} of {@code total} (total 0 = unknown), with a rate and a free-form tail
   * such as {@code errors 3}.
   */
  public synchronized void update(long done, long total, double perSecond, String tail) {
    String numbers = total > 0
      ? String.format(Locale.ROOT, "%3d%%  %d/%d", Math.min(100, done * 100 / total), done, total)
      : String.format(Locale.ROOT, "%d", done);
    String line = String.format(Locale.ROOT, "%s  %.0f/s%s", numbers, perSecond, tail.isEmpty() ? "" : "  " + tail);
    if (terminal) {
      int filled = total > 0 ? (int) Math.min(WIDTH, done * WIDTH / total) : 0;
      out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + line + "\u001b[K");
      out.flush();
      drawn = true;
      return;
    }
    long now = System.currentTimeMillis();
    if (now - lastPlainMs >= plainIntervalMs || (total > 0 && done >= total)) {
      lastPlainMs = now;
      out.println("progress: " + line);
      out.flush();
    }
  }

  /** Ends the bar's line so what follows starts on a fresh one. */
  public synchronized void finish() {
    if (terminal && drawn) {
      out.println();
      out.flush();
    }
  }
}
