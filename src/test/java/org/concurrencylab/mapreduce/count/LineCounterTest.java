package org.concurrencylab.mapreduce.count;

import org.concurrencylab.mapreduce.ReferenceCount;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Counting lines straight from bytes: exact totals, and bad lines skipped with their numbers. */
class LineCounterTest {

  private record Counted(Map<String, Long> totals, long lines, SkippedLines skipped) {
  }

  private static Counted count(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] buffer = new byte[utf8.length + LineCounter.PADDING];
    System.arraycopy(utf8, 0, buffer, 0, utf8.length);
    NgramTable table = new NgramTable(4);
    SkippedLines skipped = new SkippedLines();
    long lines = LineCounter.count(buffer, utf8.length, table, skipped);
    Map<String, Long> totals = new HashMap<>();
    for (int entry = 0; entry < table.size(); entry++) {
      totals.put(table.key(entry), table.count(entry));
    }
    return new Counted(totals, lines, skipped);
  }

  @Test
  void sumsMatchCountsPerNgramWhateverTheOrderTheLengthOrTheAlphabet() {
    Counted counted = count("""
      Aardvark\t1822\t2\t1
      Aardvark\t1823\t5\t3
      Aardvarks\t1822\t7\t1
      après\t1900\t11\t2
      aardvark\t1901\t1\t1
      Aardvark\t1990\t100\t9
      a_very_long_ngram_of_many_words\t2000\t3\t1
      a_very_long_ngram_of_many_wordz\t2000\t4\t1
      """);
    assertThat(counted.totals()).containsExactlyInAnyOrderEntriesOf(Map.of(
      "Aardvark", 107L, "Aardvarks", 7L, "après", 11L, "aardvark", 1L,
      "a_very_long_ngram_of_many_words", 3L, "a_very_long_ngram_of_many_wordz", 4L));
    assertThat(counted.lines()).isEqualTo(8);
    assertThat(counted.skipped().count()).isZero();
  }

  @Test
  void aLastLineWithoutNewlineAndWindowsLineEndsAreCounted() {
    Counted counted = count("and\t1800\t5\t1\r\nand\t1801\t6\t1\r\nat\t1800\t9\t2");
    assertThat(counted.totals()).containsExactlyInAnyOrderEntriesOf(Map.of("and", 11L, "at", 9L));
    assertThat(counted.lines()).isEqualTo(3);
  }

  @Test
  void badLinesAreSkippedWithTheirNumbersAndReasonsAndNeverCounted() {
    Counted counted = count("""
      and\t1800\t5\t1
      and\t1801
      and\t1802\tmany\t1
      and\t1803\t6\t1\textra
      \t1804\t7\t1

      justoneword
      and\t1805\t1234567890123456789\t1
      and\t1806\t-3\t1
      and\t1807\t8\t1
      """);
    assertThat(counted.totals()).containsExactlyEntriesOf(Map.of("and", 13L));
    assertThat(counted.lines()).isEqualTo(10);
    assertThat(counted.skipped().count()).isEqualTo(8);
    assertThat(counted.skipped().first()).extracting(SkippedLines.Line::number, SkippedLines.Line::problem)
      .containsExactly(
        tuple(2L, LineProblem.TOO_FEW_FIELDS),
        tuple(3L, LineProblem.BAD_COUNT),
        tuple(4L, LineProblem.TOO_MANY_FIELDS),
        tuple(5L, LineProblem.EMPTY_NGRAM),
        tuple(6L, LineProblem.TOO_FEW_FIELDS));
  }

  @Test
  void randomLinesGoodAndBadAreCountedExactlyAsTheObviousCounterCountsThem() {
    Random random = new Random(20_12);
    List<String> words = List.of("a", "ab", "abc", "Aardvark", "Aardvarks", "après", "año_NOUN", "abcdefgh",
      "abcdefghi", "abcdefgh_VERB", "x".repeat(40));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      String word = words.get(random.nextInt(words.size()));
      int runs = 1 + random.nextInt(4);
      for (int r = 0; r < runs; r++) {
        switch (random.nextInt(20)) {
          case 0 -> text.append(word).append("\t1900\n");
          case 1 -> text.append(word).append("\t1900\t").append(random.nextInt(9)).append("x\t1\n");
          case 2 -> text.append(word).append("\t1900\t3\t1\t9\n");
          case 3 -> text.append("\n");
          case 4 -> text.append(word).append("\t1900\t").append(Long.MAX_VALUE >> random.nextInt(64)).append("\t2\n");
          case 5 -> text.append(word).append("\t1900\t12\t3\t\n");
          default -> text.append(word).append('\t').append(1800 + random.nextInt(213)).append('\t')
            .append(random.nextInt(1_000_000)).append('\t').append(random.nextInt(100)).append('\n');
        }
      }
    }
    ReferenceCount reference = ReferenceCount.of(text.toString());
    Counted counted = count(text.toString());
    assertThat(counted.totals()).isEqualTo(reference.totals());
    assertThat(counted.lines()).isEqualTo(reference.lines());
    assertThat(counted.skipped().count()).isEqualTo(reference.skippedLines().size());
    assertThat(counted.skipped().first()).extracting(SkippedLines.Line::number)
      .containsExactlyElementsOf(reference.skippedLines().subList(0, SkippedLines.KEPT));
  }

  @Test
  void aShortLastLineAfterALongNgramIsReadWithinTheBuffer() {
    Counted counted = count("a_rather_long_ngram_here\t1900\t5\t1\na_rather_long_ngram_here\t1901\t6\t1\nab");
    assertThat(counted.totals()).containsExactlyEntriesOf(Map.of("a_rather_long_ngram_here", 11L));
    assertThat(counted.skipped().first()).containsExactly(new SkippedLines.Line(3, LineProblem.TOO_FEW_FIELDS));
  }

  @Test
  void countsOfEveryLengthAreReadExactly() {
    StringBuilder text = new StringBuilder();
    long expected = 0;
    for (int digits = 1; digits <= 18; digits++) {
      long count = Long.parseLong("9876543210987654321".substring(0, digits));
      text.append("n\t2000\t").append(count).append("\t1\n");
      text.append("n\t2000\t").append("0".repeat(Math.max(0, 18 - digits))).append(count).append("\t1\n");
      expected += 2 * count;
    }
    Counted counted = count(text.toString());
    assertThat(counted.totals()).containsExactlyEntriesOf(Map.of("n", expected));
    assertThat(counted.skipped().count()).isZero();
  }

  @Test
  void skippedLinesLateInTheRangeKeepTheirNumbers() {
    StringBuilder text = new StringBuilder();
    for (int line = 1; line <= 1_000; line++) {
      text.append(line == 700 || line == 990 ? "bad line\n" : "word" + line % 7 + "\t1900\t" + line + "\t1\n");
    }
    Counted counted = count(text.toString());
    assertThat(counted.lines()).isEqualTo(1_000);
    assertThat(counted.skipped().first()).extracting(SkippedLines.Line::number).containsExactly(700L, 990L);
    assertThat(counted.totals().values().stream().mapToLong(Long::longValue).sum())
      .isEqualTo(1_000L * 1_001 / 2 - 700 - 990);
  }

  @Test
  void anEmptyRangeHasNoLines() {
    Counted counted = count("");
    assertThat(counted.lines()).isZero();
    assertThat(counted.totals()).isEmpty();
  }
}
