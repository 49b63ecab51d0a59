package org.concurrencylab.db;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The rows the book's listings 5.5 and 5.6 insert, generated deterministically from a seed: the same seed
 * and sizes always give the same brands, products and SKUs. Names are made of pseudo-words (the book reads
 * a list of 1,000 common English words; the lab generates its own list, so nothing has to be shipped, and
 * no name carries the book's stray newline).
 *
 * @param brandNames   brand {@code i + 1}'s name at index {@code i}: distinct words
 * @param productNames product {@code i + 1}'s name: 10 distinct words separated by spaces
 * @param productBrands product {@code i + 1}'s brand id, uniform in {@code 1..brands}
 * @param skuProducts  SKU {@code i + 1}'s product id, uniform in {@code 1..products}
 * @param skuSizes     its size id, uniform in 1..3 (Small, Medium, Large)
 * @param skuColors    its colour id, uniform in 1..2 (Blue, Black)
 */
record SeedData(List<String> brandNames, List<String> productNames, Integer[] productBrands,
                Integer[] skuProducts, Integer[] skuSizes, Integer[] skuColors) {

  static final int WORDS = 1_000;
  static final int WORDS_PER_PRODUCT = 10;
  static final int SIZES = 3;
  static final int COLORS = 2;
  private static final String CONSONANTS = "bcdfghjklmnprstvwz";
  private static final String VOWELS = "aeiou";

  /** The book's sizes: 100 brands, 1,000 products, 100,000 SKUs. */
  static SeedData book(long seed) {
    return generate(seed, 100, 1_000, 100_000);
  }

  static SeedData generate(long seed, int brands, int products, int skus) {
    if (brands < 1 || products < 1 || skus < 0) {
      throw new IllegalArgumentException("need at least 1 brand and 1 product, and no negative SKU count");
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<String> words = words(random, Math.max(WORDS, Math.max(brands, WORDS_PER_PRODUCT)));

    List<String> brandNames = sample(random, words, brands);
    List<String> productNames = new ArrayList<>(products);
    Integer[] productBrands = new Integer[products];
    for (int i = 0; i < products; i++) {
      productNames.add(String.join(" ", sample(random, words, WORDS_PER_PRODUCT)));
      productBrands[i] = 1 + random.nextInt(brands);
    }
    Integer[] skuProducts = new Integer[skus];
    Integer[] skuSizes = new Integer[skus];
    Integer[] skuColors = new Integer[skus];
    for (int i = 0; i < skus; i++) {
      skuProducts[i] = 1 + random.nextInt(products);
      skuSizes[i] = 1 + random.nextInt(SIZES);
      skuColors[i] = 1 + random.nextInt(COLORS);
    }
    return new SeedData(List.copyOf(brandNames), List.copyOf(productNames), productBrands, skuProducts,
      skuSizes, skuColors);
  }

  int rows() {
    return brandNames.size() + productNames.size() + skuProducts.length;
  }

  /** {@code count} distinct pronounceable lower-case words such as "kamo" or "tirefus". */
  static List<String> words(SplittableRandom random, int count) {
    Set<String> words = new LinkedHashSet<>();
    while (words.size() < count) {
      StringBuilder word = new StringBuilder();
      int syllables = 1 + random.nextInt(3);
      for (int s = 0; s < syllables; s++) {
        word.append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length())))
          .append(VOWELS.charAt(random.nextInt(VOWELS.length())));
      }
      if (random.nextBoolean()) {
        word.append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length())));
      }
      words.add(word.toString());
    }
    return new ArrayList<>(words);
  }

  /** {@code k} distinct elements of {@code from}, in random order (a partial Fisher-Yates shuffle). */
  private static List<String> sample(SplittableRandom random, List<String> from, int k) {
    List<String> pool = new ArrayList<>(from);
    for (int i = 0; i < k; i++) {
      int j = i + random.nextInt(pool.size() - i);
      String swap = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, swap);
    }
    return new ArrayList<>(pool.subList(0, k));
  }
}
