package org.concurrencylab.process.demo;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.List;

/** The book's 13.2: {@code sleep 3} under a 1 s timeout is terminated, not waited for. */
public final class TimeoutDemo implements Demo {

  @Override
  public String name() {
    return "process-timeout";
  }

  @Override
  public String summary() {
    return "13.2: sleep 3 cut at 1 s: SIGTERM, then SIGKILL if it will not stop";
  }

  @Override
  public Future<JsonObject> run(DemoContext ctx) {
    long timeoutMs = ctx.intOption("timeout-ms", 1_000);
    ctx.say("Running sleep 3 with timeoutMs %d...", timeoutMs);
    long[] start = {0};
    return DemoService.deploy(ctx, List.of("sleep"), 0)
      .compose(id -> {
        start[0] = System.nanoTime();
        return DemoService.run(ctx, new JsonObject().put("command", "sleep").put("args", new JsonArray().add("3"))
          .put("timeoutMs", timeoutMs));
      })
      .map(result -> {
        double ms = DemoService.millisSince(start[0]);
        int code = result.getInteger("exitCode");
        ctx.say("The child was %s after %.0f ms: exit code %d (%s).", result.getBoolean("timedOut") ? "terminated" : "done",
          ms, code, code == 143 ? "128 + 15: it died of SIGTERM" : code == 137 ? "128 + 9: SIGKILL" : "its own");
        ctx.say("Without the timeout the caller would have waited 3,000 ms; it waited %.0f ms.", ms);
        return new JsonObject().put("timedOut", result.getBoolean("timedOut")).put("exitCode", code).put("ms", ms);
      });
  }
}
