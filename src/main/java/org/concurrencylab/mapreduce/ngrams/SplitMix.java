package org.concurrencylab.mapreduce.ngrams;

/**
 * A tiny deterministic random generator (SplitMix64). Every ngram gets its own, seeded from the file's
 * seed and the ngram's index, so any chunk of the file can be generated on any thread, in any order, and
 * the bytes come out the same.
 */
final class SplitMix {

  private long state;

  SplitMix(long seed, long stream) {
    this.state = mix(seed * 0x9E3779B97F4A7C15L + stream);
  }

  /** The SplitMix64 finaliser: a good 64-bit hash of {@code z}. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    return mix(state);
  }

  /** Uniform in (0, 1]: never zero, so it can divide. */
  double nextUnit() {
    return ((nextLong() >>> 11) + 1) * 0x1.0p-53;
  }

  /** Uniform in [0, bound). */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 33) * bound) >>> 31);
  }
}
