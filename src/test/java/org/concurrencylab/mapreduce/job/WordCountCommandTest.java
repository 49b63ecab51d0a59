package org.concurrencylab.mapreduce.job;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.LabProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code gen-ngrams} and {@code wordcount} commands as a user runs them: output and exit codes. */
class WordCountCommandTest {

  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir
  static Path dir;
  private static Path file;
  private static JsonObject expected;

  @BeforeAll
  static void generateWithTheCommand() throws IOException {
    file = dir.resolve("cli.tsv");
    try (LabProcess gen = LabProcess.start(dir, Map.of(), "gen-ngrams", file.toString(), "--lines", "50000",
      "--seed", "3")) {
      assertThat(gen.awaitExit(EXIT)).as(String.join("\n", gen.stderr())).isZero();
      assertThat(String.join("\n", gen.stdout())).contains("50,000 lines").contains("cli.tsv.expected.json");
    }
    expected = new JsonObject(Files.readString(dir.resolve("cli.tsv.expected.json")));
  }

  @Test
  void printsTheWordsTotalTheTopAndOneJsonLine() {
    try (LabProcess count = LabProcess.start(dir, Map.of(), "wordcount", file.toString(), "--word", "Aardvark",
      "--top", "3", "--partition-lines", "5000", "--workers", "2")) {
      assertThat(count.awaitExit(EXIT)).as(String.join("\n", count.stderr())).isZero();
      List<String> out = count.stdout();
      assertThat(out).contains(String.format(java.util.Locale.ROOT, "Aardvark: %,d",
        expected.getJsonObject("ngrams").getLong("Aardvark")));
      assertThat(out).anyMatch(line -> line.startsWith("progress:"));
      JsonObject first = expected.getJsonArray("top").getJsonObject(0);
      assertThat(out).contains(String.format(java.util.Locale.ROOT, "  %3d  %-24s %,18d", 1, first.getString("ngram"),
        first.getLong("count")));
      JsonObject json = new JsonObject(out.get(out.size() - 1));
      assertThat(json.getLong("distinct")).isEqualTo(expected.getLong("distinct"));
      assertThat(json.getInteger("workerInstances")).isEqualTo(2);
      assertThat(json.getInteger("partitions")).isBetween(8, 12);
    }
  }

  @Test
  void badInputExitsWithTwoAndSaysWhy() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.tsv"));
    assertExitsTwo("no such file", "wordcount", dir.resolve("missing.tsv").toString());
    assertExitsTwo("is empty", "wordcount", empty.toString());
    assertExitsTwo("partitionLines", "wordcount", file.toString(), "--partition-lines", "0");
    assertExitsTwo("--lines must be 0 or more", "gen-ngrams", dir.resolve("x.tsv").toString(), "--lines", "-5");
  }

  private static void assertExitsTwo(String message, String... args) {
    try (LabProcess process = LabProcess.start(dir, Map.of(), args)) {
      assertThat(process.awaitExit(EXIT)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(String.join("\n", process.stderr())).as(String.join(" ", args)).contains("error: ").contains(message);
    }
  }
}
