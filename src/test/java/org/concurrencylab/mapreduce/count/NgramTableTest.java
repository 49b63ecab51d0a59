package org.concurrencylab.mapreduce.count;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte-keyed table keeps exact totals as it grows, and the ranking reads them back in order. */
class NgramTableTest {

  private static void add(NgramTable table, String key, long count) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    table.add(bytes, 0, bytes.length, NgramTable.hash(bytes, 0, bytes.length), count);
  }

  @Test
  void growingFromTinyToManyKeysKeepsEveryTotal() {
    NgramTable table = new NgramTable(1);
    Map<String, Long> reference = new HashMap<>();
    Random random = new Random(1);
    for (int i = 0; i < 300_000; i++) {
      String key = "k" + random.nextInt(100_000);
      long count = random.nextInt(50);
      add(table, key, count);
      reference.merge(key, count, Long::sum);
    }
    assertThat(table.size()).isEqualTo(reference.size());
    reference.forEach((key, total) -> assertThat(table.get(key)).as(key).isEqualTo(total));
    assertThat(table.get("never")).isEqualTo(-1);
  }

  @Test
  void clearForgetsEverything() {
    NgramTable table = new NgramTable(4);
    add(table, "and", 3);
    table.clear();
    assertThat(table.size()).isZero();
    assertThat(table.get("and")).isEqualTo(-1);
    add(table, "at", 2);
    assertThat(table.get("at")).isEqualTo(2);
  }

  @Test
  void theRankingIsByTotalThenByBytesAndSumsEverything() {
    NgramTable table = new NgramTable(4);
    add(table, "b", 5);
    add(table, "a", 5);
    add(table, "après", 9);
    add(table, "z", 1);
    add(table, "c", 5);
    Ranking ranking = Ranking.of(table, 3);
    assertThat(ranking.top()).containsExactly(new Ranking.Entry("après", 9), new Ranking.Entry("a", 5),
      new Ranking.Entry("b", 5));
    assertThat(ranking.totalCount()).isEqualTo(25);
    assertThat(Ranking.of(table, 0).top()).isEmpty();
    assertThat(Ranking.of(table, 10).top()).extracting(Ranking.Entry::ngram)
      .containsExactlyElementsOf(List.of("après", "a", "b", "c", "z"));
  }
}
