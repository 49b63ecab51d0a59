package org.concurrencylab.mapreduce.ngrams;

import org.concurrencylab.mapreduce.count.ByteSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a synthetic 1-gram file ({@code ngram TAB year TAB match_count TAB volume_count}) of exactly
 * {@code lines} lines, and beside it {@code FILE.expected.json} with the true answers.
 *
 * <p>Fast because nothing is shared: a planning pass finds how many ngrams fill the lines, then chunks of
 * {@value #CHUNK_NGRAMS} ngrams are rendered into byte arrays on every core (each ngram draws from its own
 * seeded stream) while this thread writes finished chunks in order with large writes. The bytes depend on
 * the seed only, never on the number of threads.
 */
public final class NgramFileGenerator {

  static final int CHUNK_NGRAMS = 8_192;
  /** How many ngrams the expected file lists as the top. */
  static final int TOP = 10;

  private final NgramModel model;
  private final long lines;
  private final long seed;

  /** What was written. */
  public record Result(Path file, Path expectedFile, long lines, long bytes, long distinct, double seconds) {
  }

  private NgramFileGenerator(long lines, long seed) {
    this.model = new NgramModel(seed, lines);
    this.lines = lines;
    this.seed = seed;
  }

  /** The path of the expected totals beside {@code file}. */
  public static Path expectedFile(Path file) {
    return file.resolveSibling(file.getFileName() + ".expected.json");
  }

  /**
   * Writes the file and its expected totals, replacing any existing ones.
   *
   * @param threads rendering threads (the output is the same for any number)
   */
  public static Result generate(Path file, long lines, long seed, int threads) throws IOException {
    if (lines < 0) {
      throw new IllegalArgumentException("--lines must be 0 or more, not " + lines);
    }
    long started = System.nanoTime();
    NgramFileGenerator generator = new NgramFileGenerator(lines, seed);
    Plan plan = generator.plan();
    ExpectedTotals expected = new ExpectedTotals(NgramModel.placed(), TOP);
    long bytes = generator.render(file, plan, Math.max(1, threads), expected);
    double seconds = (System.nanoTime() - started) / 1e9;
    Path expectedFile = expectedFile(file);
    expected.write(expectedFile, file, seed, lines, bytes, plan.ngrams());
    return new Result(file, expectedFile, lines, bytes, plan.ngrams(), seconds);
  }

  /** How many ngrams fill the file, and how many rows the last one keeps. */
  private record Plan(long ngrams, int lastRows) {
    long chunks() {
      return (ngrams + CHUNK_NGRAMS - 1) / CHUNK_NGRAMS;
    }
  }

  private Plan plan() {
    long rows = 0;
    long index = 0;
    while (rows < lines) {
      int ngramRows = model.rows(index);
      if (rows + ngramRows >= lines) {
        return new Plan(index + 1, (int) (lines - rows));
      }
      rows += ngramRows;
      index++;
    }
    return new Plan(0, 0);
  }

  private long render(Path file, Plan plan, int threads, ExpectedTotals expected) throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "gen-ngrams");
      thread.setDaemon(true);
      return thread;
    });
    long written = 0;
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
      StandardOpenOption.TRUNCATE_EXISTING)) {
      // A window of chunks in flight bounds memory (about 2.5 MB each) while every thread stays busy.
      Deque<Future<Chunk>> window = new ArrayDeque<>();
      long next = 0;
      while (next < plan.chunks() || !window.isEmpty()) {
        while (next < plan.chunks() && window.size() < threads * 2) {
          long chunk = next++;
          window.add(pool.submit(() -> renderChunk(chunk, plan)));
        }
        Chunk chunk = window.poll().get();
        ByteBuffer buffer = ByteBuffer.wrap(chunk.bytes(), 0, chunk.size());
        while (buffer.hasRemaining()) {
          written += out.write(buffer);
        }
        expected.add(chunk.totals());
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("rendering a chunk failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      pool.shutdownNow();
    }
    return written;
  }

  private record Chunk(byte[] bytes, int size, ExpectedTotals totals) {
  }

  private Chunk renderChunk(long chunk, Plan plan) {
    long first = chunk * CHUNK_NGRAMS;
    long last = Math.min(plan.ngrams(), first + CHUNK_NGRAMS);
    ByteSink sink = new ByteSink(CHUNK_NGRAMS * 320);
    ExpectedTotals totals = new ExpectedTotals(NgramModel.placed(), TOP);
    for (long index = first; index < last; index++) {
      SplitMix random = model.random(index);
      long intended = model.totalFor(index, random);
      int rows = index == plan.ngrams() - 1 ? plan.lastRows() : NgramModel.rowsFor(intended);
      int wordStart = sink.size();
      model.appendNgram(index, random, sink);
      int wordLength = sink.size() - wordStart;
      int year = NgramModel.FIRST_YEAR + random.nextInt(NgramModel.YEARS - rows + 1);
      double perYear = (double) intended / rows;
      long total = 0;
      for (int row = 0; row < rows; row++, year++) {
        if (row > 0) {
          sink.appendOwn(wordStart, wordLength);
        }
        long matches = Math.max(1, Math.round(perYear * (0.5 + random.nextUnit())));
        long volumes = Math.max(1, Math.round(matches * (0.3 + 0.7 * random.nextUnit())));
        sink.append((byte) '\t');
        sink.appendDecimal(year);
        sink.append((byte) '\t');
        sink.appendDecimal(matches);
        sink.append((byte) '\t');
        sink.appendDecimal(volumes);
        sink.append((byte) '\n');
        total += matches;
      }
      totals.addNgram(index, sink.array(), wordStart, wordLength, total, rows);
    }
    return new Chunk(sink.array(), sink.size(), totals);
  }
}
