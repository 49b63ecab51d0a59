package org.concurrencylab.mapreduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The obvious word count, written like the Python peer (a String per line, split on TAB, a HashMap), as the
 * independent reference the fast counters are checked against. Lines that are not four fields with a whole
 * number for match_count are skipped, as the lab's counter does.
 */
public record ReferenceCount(Map<String, Long> totals, long lines, List<Long> skippedLines) {

  public static ReferenceCount of(Path file) {
    try {
      return of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ReferenceCount of(String text) {
    Map<String, Long> totals = new HashMap<>();
    List<Long> skipped = new ArrayList<>();
    long lineNumber = 0;
    if (text.isEmpty()) {
      return new ReferenceCount(totals, 0, skipped);
    }
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    for (String line : body.split("\n", -1)) {
      lineNumber++;
      String[] fields = line.split("\t", -1);
      if (fields.length != 4 || fields[0].isEmpty() || !fields[2].matches("[0-9]{1,18}")) {
        skipped.add(lineNumber);
        continue;
      }
      totals.merge(fields[0], Long.parseLong(fields[2]), Long::sum);
    }
    return new ReferenceCount(totals, lineNumber, skipped);
  }

  public long total(String ngram) {
    return totals.getOrDefault(ngram, 0L);
  }
}
