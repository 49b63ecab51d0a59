package org.concurrencylab.bff.shop;

import java.util.Random;

/**
 * The inventory service's seeded source, drawn per request in arrival order as the book's
 * {@code randint(0, 20) / 10} s delay and {@code randint(0, 100)} count: the delay takes one of 21 equally
 * likely values 0, 1/20, ..., 20/20 of {@code maxDelayMs} (the book's 0 to 2.0 s in 0.1 s steps for 2000),
 * exactly as the peer {@code bff_services.py} draws it. Shared by the service's instances, so one sequence
 * serves the node.
 */
final class InventoryDice {

  /** One draw: wait this long, then answer this count. */
  record Roll(long delayMs, int inventory) {
  }

  private final Random random;
  private final long maxDelayMs;

  InventoryDice(long seed, long maxDelayMs) {
    this.random = new Random(seed);
    this.maxDelayMs = maxDelayMs;
  }

  synchronized Roll next() {
    long delay = Math.round(random.nextInt(21) / 20.0 * maxDelayMs);
    return new Roll(delay, random.nextInt(101));
  }
}
