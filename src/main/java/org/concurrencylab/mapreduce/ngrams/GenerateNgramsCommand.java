package org.concurrencylab.mapreduce.ngrams;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code gen-ngrams FILE --lines N --seed S}: writes a synthetic 1-gram file and its expected totals. */
@Command(name = "gen-ngrams", mixinStandardHelpOptions = true,
  description = {"Write a synthetic Google Books 1-gram file (ngram TAB year TAB match_count TAB volume_count)",
    "and FILE.expected.json with its true totals. The same --lines and --seed give the same bytes.",
    "The book's file: --lines 86600000 (about 1.8 GB)."})
public final class GenerateNgramsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to write (replaced if it exists).")
  Path file;

  @Option(names = "--lines", defaultValue = "1000000", description = "Lines to write (default ${DEFAULT-VALUE}).")
  long lines;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the data (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--threads", defaultValue = "0", description = "Rendering threads (default 0: one per core).")
  int threads;

  @Override
  public Integer call() {
    if (lines < 0) {
      System.err.println("error: --lines must be 0 or more, not " + lines);
      return 2;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file) || parent == null || !Files.isDirectory(parent)) {
      System.err.println("error: cannot write " + file + (Files.isDirectory(file) ? ": it is a directory"
        : ": no such directory " + parent));
      return 2;
    }
    int rendering = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    try {
      NgramFileGenerator.Result result = NgramFileGenerator.generate(file, lines, seed, rendering);
      System.out.printf(Locale.ROOT, "wrote %s: %,d lines, %,.1f MB, %,d distinct ngrams in %.2f s (%,.0f MB/s)%n",
        result.file(), result.lines(), result.bytes() / 1e6, result.distinct(), result.seconds(),
        result.bytes() / 1e6 / Math.max(result.seconds(), 1e-9));
      System.out.println("expected totals: " + result.expectedFile());
      return 0;
    } catch (IOException e) {
      System.err.println("error: cannot write " + file + ": " + e.getMessage());
      return 2;
    }
  }
}
