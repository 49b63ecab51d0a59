package org.concurrencylab.app;

import sun.misc.Signal;

/**
 * SIGTERM and Ctrl-C end the lab with exit code 0: {@link System#exit} runs the launcher's shutdown hook,
 * which closes Vert.x and so undeploys every verticle (servers stop accepting, pools close, the embedded
 * PostgreSQL stops). Without this the JVM would report 143 / 130 for a perfectly orderly stop.
 */
final class Shutdown {

  /** The bound on an orderly stop; past it the process halts rather than hang. */
  static final long LIMIT_MS = 4_500;

  private Shutdown() {
  }

  static void exitCleanlyOnSignals() {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> {
        Thread watchdog = new Thread(() -> {
          try {
            Thread.sleep(LIMIT_MS);
            System.err.println("error: the lab did not stop within " + LIMIT_MS + " ms; halting");
            Runtime.getRuntime().halt(1);
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
        }, "shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        System.exit(0);
      });
    }
  }
}
