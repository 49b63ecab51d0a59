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

  @Test
  void theUnionOfOverlappingTablesRanksLikeOneTableHoldingEverything() {
    // Three workers' tables: most keys in one table only, some in two or all three (partitions sent again,
    // or an ngram whose lines straddle two partitions).
    List<NgramTable> tables = List.of(new NgramTable(4), new NgramTable(1_000), new NgramTable(16));
    NgramTable all = new NgramTable(4);
    Random random = new Random(7);
    for (int i = 0; i < 40_000; i++) {
      String key = "k" + random.nextInt(20_000);
      long count = 1 + random.nextInt(1_000);
      add(tables.get(random.nextInt(3)), key, count);
      add(all, key, count);
    }
    long aardvark = 0;
    for (NgramTable table : tables) {
      aardvark += Math.max(0, table.get("k42"));
    }
    Ranking union = Ranking.ofUnion(tables, 25);
    Ranking one = Ranking.of(all, 25);
    assertThat(tables.stream().mapToInt(NgramTable::size).sum()).isGreaterThan(all.size()); // they overlap
    assertThat(union.distinct()).isEqualTo(all.size()).isEqualTo(one.distinct());
    assertThat(union.totalCount()).isEqualTo(one.totalCount());
    assertThat(union.top()).containsExactlyElementsOf(one.top());
    assertThat(aardvark).isEqualTo(all.get("k42"));
  }

  @Test
  void matchKeysFindsExactlyTheCommonKeysAndAddAllFromSumsATable() {
    NgramTable a = new NgramTable(4);
    NgramTable b = new NgramTable(64);
    add(a, "shared", 1);
    add(a, "only-a", 2);
    add(b, "shared", 3);
    add(b, "only-b", 4);
    List<String> common = new java.util.ArrayList<>();
    NgramTable.matchKeys(a, b, (ea, eb) -> {
      assertThat(a.key(ea)).isEqualTo(b.key(eb));
      common.add(a.key(ea));
    });
    assertThat(common).containsExactly("shared");
    a.addAllFrom(b);
    assertThat(a.get("shared")).isEqualTo(4);
    assertThat(a.get("only-a")).isEqualTo(2);
    assertThat(a.get("only-b")).isEqualTo(4);
    assertThat(a.size()).isEqualTo(3);
  }
}
