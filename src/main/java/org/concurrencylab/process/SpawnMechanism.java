package org.concurrencylab.process;

/**
 * How the JVM starts a child. Java 12 and later default to {@code posix_spawn} of the JDK's
 * {@code jspawnhelper}, which then execs the command: two execs per child. {@code vfork} execs the command
 * directly, as CPython's subprocess does, and starts children about twice as fast on a small VM (measured in
 * {@code bench/results/process.md}). It was Linux's default before Java 12; Java 23 deprecated it, so it is
 * chosen on Java 17 to 22 only, and never over an explicit {@code -Djdk.lang.Process.launchMechanism}.
 *
 * <p>The JVM reads the property once, when it starts its first child: this runs when the module class loads,
 * which in the lab happens before anything is spawned (the service catalogue is built first).
 */
final class SpawnMechanism {

  static final String PROPERTY = "jdk.lang.Process.launchMechanism";

  private SpawnMechanism() {
  }

  static void preferVfork() {
    if (System.getProperty("os.name", "").startsWith("Linux") && Runtime.version().feature() < 23
      && System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "VFORK");
    }
  }
}
