package org.concurrencylab.mapreduce.job;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.mapreduce.ngrams.NgramFileGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generated 1-gram files with their expected totals, for the job tests. */
record WordCountFiles(Path file, JsonObject expected) {

  static WordCountFiles generate(Path dir, String name, long lines, long seed) {
    try {
      Path file = dir.resolve(name);
      NgramFileGenerator.Result result = NgramFileGenerator.generate(file, lines, seed, 2);
      return new WordCountFiles(file, new JsonObject(Files.readString(result.expectedFile())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  long expected(String ngram) {
    return expected.getJsonObject("ngrams").getLong(ngram);
  }

  private static java.util.List<String> ranked(io.vertx.core.json.JsonArray top) {
    return top.stream().map(JsonObject.class::cast)
      .map(entry -> entry.getString("ngram") + "=" + entry.getLong("count")).toList();
  }

  /** Checks a job result against every number expected.json knows. */
  void assertMatches(JsonObject result) {
    org.assertj.core.api.Assertions.assertThat(result.getLong("lines")).isEqualTo(expected.getLong("lines"));
    org.assertj.core.api.Assertions.assertThat(result.getLong("distinct")).isEqualTo(expected.getLong("distinct"));
    org.assertj.core.api.Assertions.assertThat(result.getLong("totalMatchCount"))
      .isEqualTo(expected.getLong("total_match_count"));
    org.assertj.core.api.Assertions.assertThat(result.getJsonObject("word").getLong("count"))
      .isEqualTo(expected(result.getJsonObject("word").getString("ngram")));
    org.assertj.core.api.Assertions.assertThat(ranked(result.getJsonArray("top")))
      .isEqualTo(ranked(expected.getJsonArray("top")));
    org.assertj.core.api.Assertions.assertThat(result.getJsonObject("skipped").getLong("lines")).isZero();
  }
}
