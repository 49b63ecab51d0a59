package org.concurrencylab.process;

/**
 * The process service's bus addresses. {@code process.run} reaches any node that runs the service; the
 * per-process addresses reach the one node where that child runs, wherever the caller is.
 */
public final class ProcessAddresses {

  /** Request: start a command ({@link RunRequest}); reply: {@code {id, node, state, pid}} or, with wait, the result. */
  public static final String RUN = "process.run";

  private ProcessAddresses() {
  }

  /** Request {@code {data, eof}}: write to the child's stdin; reply {@code {id, written}} once written. */
  public static String stdin(String id) {
    return "process.stdin." + id;
  }

  /** Request {@code {signal: "TERM"|"KILL"}}: end the child; reply its result once it has exited. */
  public static String kill(String id) {
    return "process.kill." + id;
  }

  /** Request {@code {}}: the child's state and the output it kept so far (for late watchers). */
  public static String output(String id) {
    return "process.output." + id;
  }

  /** Published: {@code {type: "output", stream, seq, lines, partial}} as the child writes, then {@code {type: "exit", ...}}. */
  public static String events(String id) {
    return "process.events." + id;
  }
}
