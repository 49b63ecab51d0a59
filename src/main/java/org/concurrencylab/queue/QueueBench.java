package org.concurrencylab.queue;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code bench queues}: placeholder until the load clients land. */
@Command(name = "queues", mixinStandardHelpOptions = true, description = "Queue throughput (chapter 12).")
final class QueueBench implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
