package org.concurrencylab.process.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.List;

/** The book's 13.1: run {@code ls -l} and print what it wrote. */
public final class ListFilesDemo implements Demo {

  @Override
  public String name() {
    return "process-ls";
  }

  @Override
  public String summary() {
    return "13.1: ls -l as a child process, its output and exit code";
  }

  @Override
  public Future<JsonObject> run(DemoContext ctx) {
    ctx.say("Running ls -l in %s (no shell; the command is looked up on a fixed PATH)...", DemoService.workDir(ctx));
    long[] start = {0};
    return DemoService.deploy(ctx, List.of("ls"), 0)
      .compose(id -> {
        start[0] = System.nanoTime();
        return DemoService.run(ctx, new JsonObject().put("command", "ls").put("args", new JsonArray().add("-l")));
      })
      .map(result -> {
        double ms = DemoService.millisSince(start[0]);
        result.getString("stdout").lines().forEach(line -> ctx.say("  | %s", line));
        ctx.say("ls exited with %d after %.1f ms (the child itself ran %.1f ms).", result.getInteger("exitCode"), ms,
          result.getDouble("durationMs"));
        return new JsonObject().put("exitCode", result.getInteger("exitCode")).put("lines", result.getLong("stdoutLines"))
          .put("ms", ms);
      });
  }
}
