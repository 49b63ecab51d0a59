package org.concurrencylab.mapreduce.count;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Counts keyed by byte slices: an open-addressing hash table whose keys are copied once into one byte
 * arena, so counting millions of lines creates no String, no boxed Long and no per-entry object. A key is
 * looked up straight from the buffer it was read into.
 *
 * <p>Each slot holds the key's 32-bit hash and its entry number in one {@code long}, so a probe touches the
 * key bytes only when the hashes match. At 6 M distinct ngrams (the book's file) the table takes about
 * 350 MB; a HashMap&lt;String, Long&gt; would take three times that.
 *
 * <p>Not thread-safe: one table belongs to one map worker or one reducer at a time.
 */
public final class NgramTable {

  private static final int MAX_CAPACITY = 1 << 30;
  /** Keys added together by {@link #addAllFrom}, so that their cache misses overlap. */
  private static final int ADD_BATCH = 32;

  private byte[] arena;
  private int arenaUsed;
  private int[] keyOffsets;
  private int[] keyLengths;
  /** Each entry's {@link #hash}: a partial sends it along, so the reducer never hashes a key again. */
  private int[] hashes;
  private long[] counts;
  private int size;
  /** {@code hash << 32 | (entry + 1)}; 0 is an empty slot. */
  private long[] slots;
  private int mask;
  /** Written by {@link #addAll} so that the JIT cannot drop its prefetching loads. */
  @SuppressWarnings("unused")
  private long touchedSink;

  public NgramTable(int expectedKeys) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedKeys) * 2 - 1) << 1;
    slots = new long[capacity];
    mask = capacity - 1;
    int entries = Math.max(16, expectedKeys);
    keyOffsets = new int[entries];
    keyLengths = new int[entries];
    hashes = new int[entries];
    counts = new long[entries];
    arena = new byte[entries * 12];
  }

  /** The hash every caller must use for a key: FNV-1a over the bytes. */
  public static int hash(byte[] bytes, int from, int length) {
    int h = 0x811C9DC5;
    for (int i = from, end = from + length; i < end; i++) {
      h = (h ^ bytes[i]) * 0x01000193;
    }
    return h;
  }

  /** Spreads FNV's weak low bits before they choose a slot (Murmur3's finaliser). */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  /** Distinct keys. */
  public int size() {
    return size;
  }

  /**
   * The entry of key {@code bytes[from, from + length)} with hash {@link #hash}, created with count 0 when
   * missing. Entries are numbered 0, 1, 2... in order of first sight and never move.
   */
  public int entry(byte[] bytes, int from, int length, int hash) {
    int slot = spread(hash) & mask;
    while (true) {
      long value = slots[slot];
      if (value == 0) {
        return insert(slot, bytes, from, length, hash);
      }
      if ((int) (value >>> 32) == hash) {
        int entry = (int) value - 1;
        if (keyLengths[entry] == length
          && Arrays.equals(arena, keyOffsets[entry], keyOffsets[entry] + length, bytes, from, from + length)) {
          return entry;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Adds {@code count} to the key's total. */
  public void add(byte[] bytes, int from, int length, int hash, long count) {
    int entry = entry(bytes, from, length, hash); // first: it may replace the counts array
    counts[entry] += count;
  }

  /**
   * Adds {@code n} keys at once: {@code bytes[from[i], from[i] + length[i])} with hash {@code hashes[i]} gets
   * {@code counts[i]} more. For a large table (the reducer's, millions of keys) this is several times faster
   * than one {@link #add} after another: the first pass touches every key's slot, so that the CPU fetches
   * their cache lines from memory in parallel instead of waiting for each miss in turn during the inserts.
   */
  public void addAll(byte[] bytes, int[] from, int[] length, int[] hashes, long[] counts, int n) {
    long touched = 0;
    for (int i = 0; i < n; i++) {
      touched += slots[spread(hashes[i]) & mask];
    }
    touchedSink += touched; // keeps the loads: their values are never needed, only their cache lines
    for (int i = 0; i < n; i++) {
      int entry = entry(bytes, from[i], length[i], hashes[i]);
      this.counts[entry] += counts[i];
    }
  }

  /**
   * Adds every count of {@code other} (a map worker's table of one partition) to this table, in batches whose
   * slots are touched first as in {@link #addAll}; the keys' stored hashes are reused.
   */
  public void addAllFrom(NgramTable other) {
    int n = other.size;
    for (int batch = 0; batch < n; batch += ADD_BATCH) {
      int end = Math.min(n, batch + ADD_BATCH);
      long touched = 0;
      for (int e = batch; e < end; e++) {
        touched += slots[spread(other.hashes[e]) & mask];
      }
      touchedSink += touched;
      for (int e = batch; e < end; e++) {
        int entry = entry(other.arena, other.keyOffsets[e], other.keyLengths[e], other.hashes[e]);
        counts[entry] += other.counts[e];
      }
    }
  }

  /** Receives the entries of two tables that hold the same key. */
  @FunctionalInterface
  public interface MatchConsumer {
    void matched(int entryOfA, int entryOfB);
  }

  /**
   * Calls {@code matches} for every key that both {@code a} and {@code b} hold. Walks {@code a}'s slots in
   * order and probes {@code b} from each key's home slot with the stored hash: both tables are read almost
   * sequentially (a key's home slot moves with its position in {@code a}), and key bytes are compared only when
   * two 32-bit hashes agree. Cheap where the tables hold few common keys (map workers' tables of a sorted file).
   */
  public static void matchKeys(NgramTable a, NgramTable b, MatchConsumer matches) {
    long[] aSlots = a.slots;
    long[] bSlots = b.slots;
    int bMask = b.mask;
    for (long value : aSlots) {
      if (value == 0) {
        continue;
      }
      int hash = (int) (value >>> 32);
      int slot = spread(hash) & bMask;
      long other;
      while ((other = bSlots[slot]) != 0) {
        if ((int) (other >>> 32) == hash) {
          int entryOfA = (int) value - 1;
          int entryOfB = (int) other - 1;
          int length = a.keyLengths[entryOfA];
          if (b.keyLengths[entryOfB] == length && Arrays.equals(a.arena, a.keyOffsets[entryOfA],
            a.keyOffsets[entryOfA] + length, b.arena, b.keyOffsets[entryOfB], b.keyOffsets[entryOfB] + length)) {
            matches.matched(entryOfA, entryOfB);
            break;
          }
        }
        slot = (slot + 1) & bMask;
      }
    }
  }

  /** Adds {@code count} to an entry returned by {@link #entry}. */
  public void addTo(int entry, long count) {
    counts[entry] += count;
  }

  /** The total of {@code key}, or -1 when it never occurred. */
  public long get(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int hash = hash(bytes, 0, bytes.length);
    int slot = spread(hash) & mask;
    while (true) {
      long value = slots[slot];
      if (value == 0) {
        return -1;
      }
      int entry = (int) value - 1;
      if ((int) (value >>> 32) == hash && keyLengths[entry] == bytes.length
        && Arrays.equals(arena, keyOffsets[entry], keyOffsets[entry] + bytes.length, bytes, 0, bytes.length)) {
        return counts[entry];
      }
      slot = (slot + 1) & mask;
    }
  }

  public long count(int entry) {
    return counts[entry];
  }

  /** The arena holding every key; entry {@code e}'s key is at {@link #keyOffset(int)} for {@link #keyLength(int)}. */
  public byte[] arena() {
    return arena;
  }

  public int keyOffset(int entry) {
    return keyOffsets[entry];
  }

  public int keyLength(int entry) {
    return keyLengths[entry];
  }

  /** The {@link #hash} of entry {@code e}'s key. */
  public int keyHash(int entry) {
    return hashes[entry];
  }

  public String key(int entry) {
    return new String(arena, keyOffsets[entry], keyLengths[entry], StandardCharsets.UTF_8);
  }

  /** Empties the table, keeping its arrays for the next partition. */
  public void clear() {
    if (size > 0) {
      Arrays.fill(slots, 0L);
      Arrays.fill(counts, 0, size, 0L);
    }
    size = 0;
    arenaUsed = 0;
  }

  private int insert(int slot, byte[] bytes, int from, int length, int hash) {
    if (size == counts.length) {
      growEntries();
    }
    if (arenaUsed + length > arena.length) {
      growArena(length);
    }
    int entry = size++;
    System.arraycopy(bytes, from, arena, arenaUsed, length);
    keyOffsets[entry] = arenaUsed;
    keyLengths[entry] = length;
    hashes[entry] = hash;
    arenaUsed += length;
    slots[slot] = ((long) hash << 32) | (entry + 1L);
    if (size * 2L > slots.length) {
      growSlots();
    }
    return entry;
  }

  private void growEntries() {
    int capacity = (int) Math.min(Integer.MAX_VALUE - 8, counts.length + (counts.length >> 1) + 16L);
    if (capacity <= counts.length) {
      throw new IllegalStateException("more than " + counts.length + " distinct keys");
    }
    keyOffsets = Arrays.copyOf(keyOffsets, capacity);
    keyLengths = Arrays.copyOf(keyLengths, capacity);
    hashes = Arrays.copyOf(hashes, capacity);
    counts = Arrays.copyOf(counts, capacity);
  }

  private void growArena(int needed) {
    long capacity = Math.max(arenaUsed + (long) needed, arena.length + (arena.length >> 1) + 1024L);
    if (capacity > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("the keys take more than 2 GB");
    }
    arena = Arrays.copyOf(arena, (int) capacity);
  }

  /** Doubles the slots, keeping at most half of them used so probes stay short; uses the stored hashes. */
  private void growSlots() {
    if (slots.length >= MAX_CAPACITY) {
      throw new IllegalStateException("more than " + MAX_CAPACITY / 2 + " distinct keys");
    }
    long[] old = slots;
    slots = new long[old.length * 2];
    mask = slots.length - 1;
    for (long value : old) {
      if (value != 0) {
        int slot = spread((int) (value >>> 32)) & mask;
        while (slots[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        slots[slot] = value;
      }
    }
  }
}
