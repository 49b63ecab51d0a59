package org.concurrencylab.mapreduce.ngrams;

import org.concurrencylab.mapreduce.count.ByteSink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a synthetic Google Books 1-gram file: which ngram sits at each index, its total count, and
 * in how many years it occurs. Everything is a pure function of (seed, index), so the planning pass and the
 * generating threads agree without sharing state.
 *
 * <p>The numbers follow the real "a" file of Google Books Ngram v2: a Zipf spread of totals (the k-th
 * commonest ngram occurs about 1/k as often as the first), a floor of about 40 (Google dropped ngrams seen
 * fewer than 40 times), common words present in every year 1800-2012 and rare ones in a few, ngrams that
 * all start with "a" or "A", some tagged with a part of speech ({@code _NOUN}) and a few with accents, so
 * that a counter has to handle UTF-8. Rows of one ngram are consecutive with years ascending, as in the
 * real file. About 14.5 rows per ngram and 21 bytes per line: 86.6 M lines make 1.83 GB, 5.97 M ngrams.
 */
final class NgramModel {

  static final int FIRST_YEAR = 1800;
  static final int YEARS = 2012 - FIRST_YEAR + 1;

  /** The rarest ngrams total about this much (Google's cut-off was 40 occurrences). */
  private static final double FLOOR = 40;
  /** The mean of {@link #rowsFor(long)} over the Zipf tail: ngrams needed = lines / this. */
  private static final double MEAN_ROWS = 14.6;

  /** The commonest words of the "a" file, ranked 1, 2, 3... in this order. */
  private static final List<String> COMMON = List.of(
    "and", "a", "as", "at", "all", "are", "an", "any", "after", "about", "also", "again", "against", "among",
    "always", "already", "able", "above", "across", "along", "another", "around", "away", "ask", "age", "air",
    "act", "add", "ago", "almost", "art", "arm", "article", "account", "action", "answer", "army", "author");

  /**
   * Ngrams placed by hand, with their rank as a fraction of the vocabulary, so that their totals are about
   * the same at every file size ({@code Aardvark} near the book's 15,209). expected.json reports them.
   */
  private static final List<Named> NAMED = List.of(
    new Named("Aardvark", 0.0026), new Named("aardvark", 0.004), new Named("Aardvarks", 0.05),
    new Named("après", 0.0002), new Named("año_NOUN", 0.01));

  private record Named(String ngram, double rankFraction) {
  }

  /** Consonant units, then vowel units: a syllable is one of each, so every word parses one way only. */
  private static final String[] ONSETS = {"b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v",
    "w", "z", "ch", "st", "tr", "br", "pl", "th", "sc", "gr"};
  private static final String[] VOWELS = {"a", "e", "i", "o", "u", "y", "ou", "ea", "é", "io", "ü", "ai"};
  /** Word endings (consonants only, so they cannot be read as a syllable). */
  private static final String[] CODAS = {"", "n", "s", "r", "l", "t", "nd", "ng", "st", "ck", "m", "rd"};
  private static final String[] TAGS = {"_NOUN", "_VERB", "_ADJ", "_ADV", "_NUM", "_PRON", "_DET"};

  private static final byte[][] ONSET_BYTES = utf8(ONSETS);
  private static final byte[][] VOWEL_BYTES = utf8(VOWELS);
  private static final byte[][] CODA_BYTES = utf8(CODAS);
  private static final byte[][] TAG_BYTES = utf8(TAGS);
  private static final byte[][] PLACED = utf8(placed().toArray(String[]::new));
  private static final int SYLLABLES = ONSETS.length * VOWELS.length;

  private final long seed;
  /** Sets the scale of the Zipf spread: about the number of distinct ngrams the file will have. */
  private final double vocabulary;

  NgramModel(long seed, long lines) {
    this.seed = seed;
    this.vocabulary = Math.max(1_000, lines / MEAN_ROWS);
  }

  /** Every hand-placed ngram, in index order: the common words, then the named ones. */
  static List<String> placed() {
    List<String> all = new ArrayList<>(COMMON);
    NAMED.forEach(named -> all.add(named.ngram()));
    return all;
  }

  /** The hand-placed ngrams whose totals expected.json names. */
  static List<String> named() {
    List<String> names = new ArrayList<>(List.of("and", "après"));
    NAMED.stream().map(Named::ngram).filter(name -> !names.contains(name)).forEach(names::add);
    return names;
  }

  /** The per-ngram random stream: the same numbers for the same (seed, index) on any thread. */
  SplitMix random(long index) {
    return new SplitMix(seed, index);
  }

  /**
   * The ngram's intended total (before per-year noise), drawn from the first number of its stream. Its rank
   * is fixed for the hand-placed ngrams and uniform over the vocabulary for the others, which spreads the
   * totals as Zipf's law does.
   */
  long totalFor(long index, SplitMix random) {
    double u = random.nextUnit();
    double rank;
    if (index < COMMON.size()) {
      rank = index + 1;
    } else if (index < PLACED.length) {
      rank = NAMED.get((int) index - COMMON.size()).rankFraction() * vocabulary;
    } else {
      rank = COMMON.size() + u * vocabulary;
    }
    return Math.max(1, Math.round(FLOOR * vocabulary / rank));
  }

  /** In how many years an ngram with this total occurs: 1-213, about 9 for the rarest. */
  static int rowsFor(long total) {
    return (int) Math.max(1, Math.min(YEARS, Math.round(2 * Math.pow(total, 0.4))));
  }

  /** Number of rows of ngram {@code index} (what the planning pass needs). */
  int rows(long index) {
    return rowsFor(totalFor(index, random(index)));
  }

  /** Index of the hand-placed ngram {@code ngram}, or -1. */
  static int placedIndex(String ngram) {
    return placed().indexOf(ngram);
  }

  /**
   * Appends ngram {@code index}'s bytes to {@code out}. Generated words are "a" + syllables + an ending,
   * numbered in bijective base {@code SYLLABLES}, so distinct indices give distinct words; some are
   * capitalised or tagged, which keeps them distinct (the base word differs).
   */
  void appendNgram(long index, SplitMix random, ByteSink out) {
    if (index < PLACED.length) {
      out.append(PLACED[(int) index]);
      return;
    }
    int start = out.size();
    long n = index - PLACED.length;
    int coda = (int) (n % CODAS.length);
    n = n / CODAS.length + 1;
    out.append(random.nextInt(10) == 0 ? (byte) 'A' : (byte) 'a');
    while (n > 0) {
      n--;
      int syllable = (int) (n % SYLLABLES);
      n /= SYLLABLES;
      out.append(ONSET_BYTES[syllable % ONSETS.length]);
      out.append(VOWEL_BYTES[syllable / ONSETS.length]);
    }
    out.append(CODA_BYTES[coda]);
    if (clashesWithPlaced(out, start)) {
      out.append((byte) 'x'); // no generated word ends in x, so this one stays unique
    }
    if (random.nextInt(100) < 15) {
      out.append(TAG_BYTES[random.nextInt(TAGS.length)]);
    }
  }

  private static boolean clashesWithPlaced(ByteSink out, int start) {
    for (byte[] placed : PLACED) {
      if (out.equalsTail(start, placed)) {
        return true;
      }
    }
    return false;
  }

  private static byte[][] utf8(String[] words) {
    byte[][] bytes = new byte[words.length][];
    for (int i = 0; i < words.length; i++) {
      bytes[i] = words[i].getBytes(StandardCharsets.UTF_8);
    }
    return bytes;
  }
}
