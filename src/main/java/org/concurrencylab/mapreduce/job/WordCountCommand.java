package org.concurrencylab.mapreduce.job;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;
import org.concurrencylab.cli.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code wordcount FILE [--word Aardvark] [--top 10] [--partition-lines 60000] [--workers N]}: runs the
 * map-reduce on this machine (map workers and a coordinator on a Vert.x of its own), shows the published
 * progress as a bar, then prints the word's total, the top ngrams, the time, and one JSON line.
 * Exit code 0, 2 for bad input (missing file, directory, empty file, bad option), 1 for anything else.
 */
@Command(name = "wordcount", mixinStandardHelpOptions = true,
  description = {"Count a Google Books 1-gram file with map-reduce on worker verticles (the book's chapter 6).",
    "Partitions are byte ranges of about --partition-lines lines (the average line length is measured on",
    "samples of the file), cut at line ends."})
public final class WordCountCommand implements java.util.concurrent.Callable<Integer> {

  /** The whole job's bound: the book's file takes seconds here, minutes on a slow disk. */
  static final long JOB_TIMEOUT_MS = TimeUnit.HOURS.toMillis(6);

  @Parameters(index = "0", paramLabel = "FILE", description = "A 1-gram file: ngram TAB year TAB match_count TAB volume_count.")
  String file;

  @Option(names = "--word", defaultValue = JobRequest.DEFAULT_WORD, description = "Print this ngram's total (default ${DEFAULT-VALUE}).")
  String word;

  @Option(names = "--top", defaultValue = "10", description = "Print the N commonest ngrams (default ${DEFAULT-VALUE}).")
  int top;

  @Option(names = "--partition-lines", defaultValue = "60000", description = "Lines per partition, about (default ${DEFAULT-VALUE}, the book's).")
  int partitionLines;

  @Option(names = "--workers", defaultValue = "0", description = "Map worker verticles (default 0: one per core).")
  int workers;

  @Option(names = "--encoding", defaultValue = "buffer", description = "How partial counts cross the bus: buffer or json (default ${DEFAULT-VALUE}).")
  String encoding;

  @Option(names = "--repeat", defaultValue = "1", description = {"Run the job N times in this JVM and report the last "
    + "(default ${DEFAULT-VALUE}).", "The first job of a fresh JVM includes the JIT compiling the counter; later ones show the warm speed."})
  int repeat;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (workers < 0 || repeat < 1) {
      System.err.println("error: --workers must be 0 (one per core) or more and --repeat 1 or more");
      return 2;
    }
    int instances = WordCountService.workerCount(workers);
    JsonObject request = new JsonObject().put("path", file).put("word", word).put("top", top)
      .put("partitionLines", partitionLines).put("encoding", encoding);
    Vertx vertx = Vertx.vertx();
    try {
      WordCountService service = new WordCountService(vertx, "local");
      await(service.deployWorkers(instances, new JsonObject()));
      await(service.deployCoordinator(CoordinatorSettings.anyFile("local"), new JsonObject()));
      ProgressBar bar = ProgressBar.forStdout();
      long started = System.nanoTime();
      MessageConsumer<JsonObject> progress = vertx.eventBus().consumer(WordCountAddresses.PROGRESS, message -> {
        JsonObject p = message.body();
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        bar.update(p.getInteger("partitionsDone"), p.getInteger("partitions"), p.getInteger("partitionsDone") / seconds,
          String.format(Locale.ROOT, "partitions  %,.1f M lines/s", p.getLong("linesPerSecond") / 1e6));
      });
      await(progress.completion());
      JsonObject result = null;
      JsonArray times = new JsonArray();
      JsonArray cpu = new JsonArray();
      for (int run = 1; run <= repeat; run++) {
        try {
          result = await(Bus.request(vertx, WordCountAddresses.WORDCOUNT, request, JOB_TIMEOUT_MS));
          times.add(result.getDouble("seconds"));
          cpu.add(result.getValue("cpuSeconds"));
        } finally {
          bar.finish();
        }
      }
      print(result.put("runs", times).put("runsCpuSeconds", cpu), instances);
      return 0;
    } catch (ExecutionException e) {
      Failure failure = Failure.of(e.getCause());
      System.err.println("error: " + Failure.describe(e.getCause()));
      return failure.code() >= 400 && failure.code() < 500 ? 2 : 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private void print(JsonObject result, int instances) {
    out.printf(Locale.ROOT, "%s: %,d lines, %,d partitions of about %,d lines (%,d bytes), %d workers, %s partials%n",
      result.getString("path"), result.getLong("lines"), result.getInteger("partitions"), partitionLines,
      result.getLong("partitionBytes"), instances, result.getString("encoding"));
    JsonObject answer = result.getJsonObject("word");
    out.printf(Locale.ROOT, "%s: %,d%n", answer.getString("ngram"), answer.getLong("count"));
    if (!result.getJsonArray("top").isEmpty()) {
      out.println("top " + result.getJsonArray("top").size() + ":");
      for (int i = 0; i < result.getJsonArray("top").size(); i++) {
        JsonObject entry = result.getJsonArray("top").getJsonObject(i);
        out.printf(Locale.ROOT, "  %3d  %-24s %,18d%n", i + 1, entry.getString("ngram"), entry.getLong("count"));
      }
    }
    JsonObject skipped = result.getJsonObject("skipped");
    out.printf(Locale.ROOT, "distinct ngrams: %,d; total match_count: %,d; skipped lines: %,d%n",
      result.getInteger("distinct"), result.getLong("totalMatchCount"), skipped.getLong("lines"));
    if (skipped.getLong("lines") > 0) {
      StringBuilder first = new StringBuilder();
      skipped.getJsonArray("first").forEach(line -> first.append(String.format(Locale.ROOT, "%n  line %,d: %s",
        ((JsonObject) line).getLong("line"), ((JsonObject) line).getString("description"))));
      System.err.printf(Locale.ROOT, "warning: %,d lines skipped, not counted; the first:%s%n", skipped.getLong("lines"), first);
    }
    if (repeat > 1) {
      out.println("times of the " + repeat + " runs (s): " + result.getJsonArray("runs").encode() + "; the last one:");
    }
    out.printf(Locale.ROOT, "time: %.3f s (%.3f s without reading the file), %,d lines/s; map %.2f cpu-s, "
        + "read %.2f s, merge %.2f s (%.2f cpu-s), retries %d; the process used %s cpu-s%n",
      result.getDouble("seconds"), result.getDouble("secondsExcludingRead"), result.getLong("linesPerSecond"),
      result.getDouble("countSeconds"), result.getDouble("readSeconds"), result.getDouble("mergeSeconds"),
      result.getDouble("mergeCpuSeconds"), result.getInteger("retries"), result.getValue("cpuSeconds"));
    out.println(result.copy().put("tool", "wordcount").put("workerInstances", instances).encode());
  }

  private static <T> T await(Future<T> future) throws ExecutionException, InterruptedException {
    try {
      return future.toCompletionStage().toCompletableFuture().get(JOB_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ExecutionException(Failure.TIMEOUT.exception("no answer within " + JOB_TIMEOUT_MS + " ms"));
    }
  }
}
