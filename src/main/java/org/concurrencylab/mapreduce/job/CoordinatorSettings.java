package org.concurrencylab.mapreduce.job;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.StartupException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a node's coordinator runs jobs.
 *
 * @param roots              directories whose files jobs may read (real paths); empty = any readable file
 * @param partitionTimeoutMs how long a partition may take before it is sent again (a job may ask otherwise)
 * @param inFlight           partitions sent and not yet merged, at most, per job
 * @param node               the node's name, shown in job and status replies
 */
public record CoordinatorSettings(List<Path> roots, long partitionTimeoutMs, int inFlight, String node) {

  /** Four partitions per core in flight keeps every local worker busy with the next one queued. */
  static final int IN_FLIGHT_PER_CORE = 4;

  /**
   * Reads {@code mapreduce_roots}, {@code mapreduce_partition_timeout_ms} and {@code mapreduce_in_flight}.
   *
   * @throws StartupException naming the key of a value that cannot work
   */
  public static CoordinatorSettings from(JsonObject config, String node) {
    List<Path> roots = new ArrayList<>();
    for (String root : config.getString("mapreduce_roots", ".").split(",")) {
      if (root.isBlank()) {
        continue;
      }
      try {
        roots.add(Path.of(root.trim()).toRealPath());
      } catch (IOException | RuntimeException e) {
        throw new StartupException("mapreduce_roots", "no such directory: " + root.trim());
      }
      if (!Files.isDirectory(roots.get(roots.size() - 1))) {
        throw new StartupException("mapreduce_roots", "not a directory: " + root.trim());
      }
    }
    if (roots.isEmpty()) {
      throw new StartupException("mapreduce_roots", "names no directory (use / to allow every readable file)");
    }
    long timeout = config.getLong("mapreduce_partition_timeout_ms", 30_000L);
    if (timeout < 100) {
      throw new StartupException("mapreduce_partition_timeout_ms", "must be at least 100, not " + timeout);
    }
    int inFlight = config.getInteger("mapreduce_in_flight", 0);
    if (inFlight < 0) {
      throw new StartupException("mapreduce_in_flight", "must be 0 (automatic) or more, not " + inFlight);
    }
    return new CoordinatorSettings(List.copyOf(roots), timeout,
      inFlight > 0 ? inFlight : IN_FLIGHT_PER_CORE * Runtime.getRuntime().availableProcessors(), node);
  }

  /** Settings that let a job read any file the process can (the CLI: the user names their own file). */
  public static CoordinatorSettings anyFile(String node) {
    return new CoordinatorSettings(List.of(Path.of("/")), 30_000,
      IN_FLIGHT_PER_CORE * Runtime.getRuntime().availableProcessors(), node);
  }

  /** A copy with another partition timeout (tests that kill nodes want a short one). */
  public CoordinatorSettings withPartitionTimeoutMs(long timeoutMs) {
    return new CoordinatorSettings(roots, timeoutMs, inFlight, node);
  }

  /** A copy with another in-flight limit. */
  public CoordinatorSettings withInFlight(int partitions) {
    return new CoordinatorSettings(roots, partitionTimeoutMs, partitions, node);
  }

  boolean allows(Path path) {
    return roots.stream().anyMatch(path::startsWith);
  }
}
