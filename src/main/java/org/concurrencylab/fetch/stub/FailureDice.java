package org.concurrencylab.fetch.stub;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides which requests fail. With a seed, the k-th request that carries that seed draws the k-th number
 * of the seed's own sequence, so N requests with {@code fail_rate=0.1&seed=7} fail the same number of
 * times on every run after a {@code POST /reset}, whatever order they arrive in. Without a seed, draws are
 * random.
 */
final class FailureDice {

  private static final int MAX_SEEDS = 1_024;

  private final Map<Long, SplittableRandom> sequences = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, SplittableRandom> eldest) {
      return size() > MAX_SEEDS;
    }
  };

  boolean fails(double rate, Long seed) {
    if (rate <= 0) {
      return false;
    }
    if (seed == null) {
      return ThreadLocalRandom.current().nextDouble() < rate;
    }
    synchronized (sequences) {
      return sequences.computeIfAbsent(seed, SplittableRandom::new).nextDouble() < rate;
    }
  }

  void reset() {
    synchronized (sequences) {
      sequences.clear();
    }
  }
}
