package org.concurrencylab.process.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.process.CommandPolicy;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The book's 13.4-13.6: a child writes {@code Hello there!!} a million times (14 MB). Waiting for its exit
 * without reading its pipe deadlocks once the pipe's buffer is full; the service drains both pipes as the
 * child writes, so the same wait completes.
 */
public final class PipeDemo implements Demo {

  static final String LINE = "Hello there!!";

  @Override
  public String name() {
    return "process-pipe";
  }

  @Override
  public String summary() {
    return "13.4-13.6: 14 MB through a pipe: wait() without reading deadlocks, the service's drained pipes do not";
  }

  @Override
  public Future<JsonObject> run(DemoContext ctx) {
    int lines = ctx.intOption("lines", 1_000_000);
    long stuckMs = ctx.intOption("stuck-ms", 1_500);
    Path file = DemoService.workDir(ctx).resolve("hello.txt");
    JsonObject out = new JsonObject().put("lines", lines);
    return ctx.vertx().executeBlocking(() -> {
      writeLines(file, lines);
      ctx.say("The child: cat hello.txt, %,d lines of '%s' (%,d bytes).", lines, LINE, Files.size(file));
      ctx.say("1. The naive parent (13.4): start it with a pipe, then wait for the exit without reading...");
      return naiveWait(file.getParent(), stuckMs);
    }, false).compose(naive -> {
      out.put("naive", naive);
      if (naive.getBoolean("stuck")) {
        ctx.say("   after %,d ms the child has not exited: it is blocked writing into a full pipe (%,d bytes wait "
          + "in it). Deadlock; the demo kills it.", stuckMs, naive.getLong("pipeBytes"));
      } else {
        ctx.say("   the child exited within %,d ms (its output fit in the pipe: try more --lines).", stuckMs);
      }
      ctx.say("2. The process service (13.6's communicate()): the same child and wait, with both pipes drained...");
      return DemoService.deploy(ctx, List.of("cat"), 0);
    }).compose(deployed -> {
      long start = System.nanoTime();
      return DemoService.run(ctx, new JsonObject().put("command", "cat").put("args", new JsonArray().add("hello.txt")))
        .map(result -> {
          double ms = DemoService.millisSince(start);
          double mbPerS = result.getLong("stdoutBytes") / 1e6 / (ms / 1000);
          ctx.say("   exit code %d after %.0f ms: %,d lines, %,d bytes read (%.0f MB/s); the first %,d bytes kept "
            + "(process_output_max).", result.getInteger("exitCode"), ms, result.getLong("stdoutLines"),
            result.getLong("stdoutBytes"), mbPerS, result.getString("stdout").length());
          return out.put("exitCode", result.getInteger("exitCode")).put("readLines", result.getLong("stdoutLines"))
            .put("readBytes", result.getLong("stdoutBytes")).put("ms", ms).put("mbPerS", Math.round(mbPerS * 10) / 10.0);
        });
    });
  }

  private static void writeLines(Path file, int lines) throws IOException {
    Files.createDirectories(file.getParent());
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines; i++) {
        writer.write(LINE);
        writer.write('\n');
      }
    }
  }

  /** Starts cat with a pipe and waits without reading: on a worker thread, since it blocks on purpose. */
  private static JsonObject naiveWait(Path workDir, long stuckMs) throws IOException, InterruptedException {
    Path cat = CommandPolicy.SEARCH_PATH.stream().map(dir -> dir.resolve("cat")).filter(Files::isExecutable)
      .findFirst().orElseThrow(() -> new IOException("no cat on " + CommandPolicy.SEARCH_PATH));
    Process child = new ProcessBuilder(cat.toString(), "hello.txt").directory(workDir.toFile())
      .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      boolean exited = child.waitFor(stuckMs, TimeUnit.MILLISECONDS);
      return new JsonObject().put("stuck", !exited).put("pipeBytes", child.getInputStream().available());
    } finally {
      child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
