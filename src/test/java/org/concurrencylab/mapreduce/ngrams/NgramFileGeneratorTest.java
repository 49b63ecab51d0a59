package org.concurrencylab.mapreduce.ngrams;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.mapreduce.ReferenceCount;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The synthetic 1-gram file: its format, its shape, its determinism, and the truth of its expected.json. */
class NgramFileGeneratorTest {

  private static final int LINES = 200_000;

  @TempDir
  static Path dir;
  private static Path file;
  private static List<String> lines;
  private static JsonObject expected;

  @BeforeAll
  static void generate() throws IOException {
    file = dir.resolve("ngrams.tsv");
    NgramFileGenerator.Result result = NgramFileGenerator.generate(file, LINES, 42, 2);
    lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    expected = new JsonObject(Files.readString(result.expectedFile()));
    assertThat(result.expectedFile()).isEqualTo(dir.resolve("ngrams.tsv.expected.json"));
    assertThat(result.bytes()).isEqualTo(Files.size(file));
  }

  @Test
  void everyLineIsAOneGramRowAndEachNgramsYearsAreConsecutiveAndAscending() {
    assertThat(lines).hasSize(LINES);
    String previousNgram = null;
    int previousYear = 0;
    for (String line : lines) {
      String[] fields = line.split("\t", -1);
      assertThat(fields).as(line).hasSize(4);
      int year = Integer.parseInt(fields[1]);
      long matches = Long.parseLong(fields[2]);
      long volumes = Long.parseLong(fields[3]);
      assertThat(year).as(line).isBetween(1800, 2012);
      assertThat(matches).as(line).isPositive();
      assertThat(volumes).as(line).isBetween(1L, matches);
      assertThat(fields[0]).as(line).startsWithIgnoringCase("a");
      if (fields[0].equals(previousNgram)) {
        assertThat(year).as(line).isEqualTo(previousYear + 1);
      }
      previousNgram = fields[0];
      previousYear = year;
    }
  }

  @Test
  void expectedJsonHoldsTheTrueTotalsTheDistinctCountAndTheTop() {
    ReferenceCount truth = ReferenceCount.of(file);
    assertThat(truth.skippedLines()).isEmpty();
    assertThat(expected.getLong("lines")).isEqualTo(LINES);
    assertThat(expected.getLong("distinct")).isEqualTo(truth.totals().size());
    assertThat(expected.getLong("total_match_count"))
      .isEqualTo(truth.totals().values().stream().mapToLong(Long::longValue).sum());
    JsonObject named = expected.getJsonObject("ngrams");
    assertThat(named.fieldNames()).contains("Aardvark", "and", "après");
    named.fieldNames().forEach(ngram -> assertThat(named.getLong(ngram)).as(ngram).isEqualTo(truth.total(ngram)));
    assertThat(named.getLong("Aardvark")).as("about the book's 15,209").isBetween(10_000L, 25_000L);

    List<Map.Entry<String, Long>> ranked = truth.totals().entrySet().stream()
      .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
      .limit(10).toList();
    JsonArray top = expected.getJsonArray("top");
    assertThat(top).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(top.getJsonObject(i).getString("ngram")).isEqualTo(ranked.get(i).getKey());
      assertThat(top.getJsonObject(i).getLong("count")).isEqualTo(ranked.get(i).getValue());
    }
  }

  @Test
  void theCountsAreSkewedLikeWordFrequenciesOverManyWordLikeNgrams() {
    ReferenceCount truth = ReferenceCount.of(file);
    long[] totals = truth.totals().values().stream().mapToLong(Long::longValue).sorted().toArray();
    long median = totals[totals.length / 2];
    long largest = totals[totals.length - 1];
    assertThat(largest).as("Zipf: the commonest dwarfs the median").isGreaterThan(median * 1_000);
    assertThat((double) LINES / totals.length).as("rows per ngram").isBetween(8.0, 25.0);
    assertThat(truth.totals().keySet()).anyMatch(ngram -> ngram.endsWith("_NOUN"))
      .anyMatch(ngram -> Character.isUpperCase(ngram.charAt(0)))
      .anyMatch(ngram -> !ngram.equals(new String(ngram.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII)));
    double bytesPerLine = (double) expected.getLong("bytes") / LINES;
    assertThat(bytesPerLine).as("the book's file: 1.8 GB / 86.6 M lines").isBetween(17.0, 24.0);
  }

  @Test
  void theSameSeedGivesTheSameBytesWhateverTheThreadsAndAnotherSeedOtherBytes() throws IOException {
    Path again = dir.resolve("again.tsv");
    NgramFileGenerator.generate(again, LINES, 42, 1);
    assertThat(Files.mismatch(file, again)).isEqualTo(-1);
    Path other = dir.resolve("other.tsv");
    NgramFileGenerator.generate(other, LINES, 7, 2);
    assertThat(Files.mismatch(file, other)).isNotEqualTo(-1);
  }

  @Test
  void zeroLinesGiveAnEmptyFileAndNegativeLinesAreRefused() throws IOException {
    Path empty = dir.resolve("empty.tsv");
    NgramFileGenerator.generate(empty, 0, 42, 2);
    assertThat(Files.size(empty)).isZero();
    JsonObject nothing = new JsonObject(Files.readString(NgramFileGenerator.expectedFile(empty)));
    assertThat(nothing.getLong("distinct")).isZero();
    assertThat(nothing.getJsonObject("ngrams").getLong("Aardvark")).isZero();
    assertThatThrownBy(() -> NgramFileGenerator.generate(dir.resolve("x.tsv"), -1, 42, 2))
      .isInstanceOf(IllegalArgumentException.class);
  }
}
