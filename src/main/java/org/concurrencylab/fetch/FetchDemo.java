package org.concurrencylab.fetch;

import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.fetch.stub.StubModule;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.spi.ModuleContext;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code demo fetch}: the book's chapter 4 against the lab's stub instead of example.com. The stub waits
 * {@code --delay-ms} (2) before each answer to stand for the internet's latency; the book's 1 s and 10 s
 * delays are scaled by {@code --scale} (0.1).
 */
final class FetchDemo implements Demo {

  @Override
  public String name() {
    return "fetch";
  }

  @Override
  public String summary() {
    return "ch4 4.6-4.16: 1,000 GETs sequential vs concurrent, as_completed, timeouts, first-completed with cancel";
  }

  @Override
  public Future<JsonObject> run(DemoContext demo) {
    int n = demo.intOption("n", 1_000);
    int delay = demo.intOption("delay-ms", 2);
    double scale = Double.parseDouble(demo.option("scale", "0.1"));
    if (n < 1 || n > FetchRequest.MAX_URLS || delay < 0 || !(scale > 0 && scale <= 1)) {
      return Future.failedFuture(new IllegalArgumentException(
        "need 1 <= --n <= 10000, --delay-ms >= 0 and 0 < --scale <= 1"));
    }
    JsonObject config = demo.config().copy().put("stub_port", 0);
    ModuleContext context = new ModuleContext(demo.vertx(), config, "demo", List.of(), List.of());
    JsonObject claims = new JsonObject();
    return StubModule.deploy(context, 1)
      .compose(port -> FetchModule.deploy(context, 1).map(port))
      .compose(port -> new Story(demo, "http://127.0.0.1:" + port + "/", n, delay, scale, claims).tell())
      .map(claims);
  }

  /** The narrative, one book listing after another. */
  private record Story(DemoContext demo, String stub, int n, int delay, double scale, JsonObject claims) {

    Future<Void> tell() {
      demo.say("Chapter 4: concurrent web requests, against the lab's stub at %s", stub);
      demo.say("(a local example.com; it waits %d ms before each answer, as a stand-in for the network)%n", delay);
      return gather().compose(v -> asCompleted()).compose(v -> withDeadline())
        .compose(v -> firstCompleted()).compose(v -> firstError());
    }

    private String slow(long ms) {
      return stub + "?delay_ms=" + ms;
    }

    private long scaled(double seconds) {
      return Math.round(seconds * 1000 * scale);
    }

    /** 4.6: 1,000 GETs with gather, and the same one at a time. */
    Future<Void> gather() {
      JsonObject call = new JsonObject().put("url", slow(delay)).put("count", n).put("mode", "all");
      // A first, untimed round lets the JIT compile the client's code, so neither timed run pays for it.
      JsonObject warmUp = new JsonObject().put("url", stub).put("count", Math.min(n, 200)).put("limit", 100);
      return fetch(warmUp).compose(warm -> fetch(call.copy().put("limit", 1))).compose(sequential -> fetch(call.copy().put("limit", 100))
        .map(concurrent -> {
          double seq = sequential.getJsonObject("totals").getDouble("ms");
          double con = concurrent.getJsonObject("totals").getDouble("ms");
          demo.say("4.6  %,d GETs one after another (limit 1):   %,9.0f ms", n, seq);
          demo.say("     %,d GETs at once, 100 in flight (gather): %,8.0f ms  -> %.0fx faster", n, con, seq / con);
          demo.say("     (the book, against example.com: about 18 s vs 0.6 s, 33x)");
          demo.say("");
          claims.put("sequential_ms", seq).put("concurrent_ms", con).put("speedup", seq / con)
            .put("concurrent_ok", concurrent.getJsonObject("totals").getInteger("ok"));
          return null;
        }));
    }

    /** 4.8: as_completed with delays of 1, 1 and 10 s (scaled): results print as they land. */
    Future<Void> asCompleted() {
      List<Long> delays = List.of(scaled(1), scaled(1), scaled(10));
      demo.say("4.8  as_completed over delays of %s ms: each result as it lands", delays);
      String address = "fetch.demo." + java.util.UUID.randomUUID();
      long started = System.nanoTime();
      List<Integer> order = new ArrayList<>();
      MessageConsumer<JsonObject> landed = demo.vertx().eventBus().consumer(address, message -> {
        JsonObject r = message.body();
        order.add(r.getInteger("index"));
        demo.say("     + %5.0f ms  url #%d  %s %s", (System.nanoTime() - started) / 1e6, r.getInteger("index"),
          r.getString("outcome"), r.getValue("status", ""));
      });
      JsonArray urls = new JsonArray(delays.stream().map(this::slow).toList());
      return landed.completion()
        .compose(v -> fetch(new JsonObject().put("urls", urls).put("mode", "as-completed").put("publish", address)))
        .eventually(() -> landed.unregister())
        .map(reply -> {
          demo.say("     the slow one came last, the fast ones did not wait for it");
          demo.say("");
          claims.put("as_completed_order", new JsonArray(order));
          return null;
        });
    }

    /** 4.9: the same with a timeout of 2 s (scaled): what misses it is reported as timed out. */
    Future<Void> withDeadline() {
      JsonArray urls = new JsonArray(List.of(slow(scaled(1)), slow(scaled(1)), slow(scaled(10))));
      long deadline = scaled(2);
      return fetch(new JsonObject().put("urls", urls).put("mode", "as-completed").put("deadlineMs", deadline))
        .map(reply -> {
          JsonObject totals = reply.getJsonObject("totals");
          demo.say("4.9  the same with a %d ms deadline: %d ok, %d timed out (reported, not dropped) after %.0f ms%n",
            deadline, totals.getInteger("ok"), totals.getInteger("timeouts"), totals.getDouble("ms"));
          claims.put("deadline_ok", totals.getInteger("ok")).put("deadline_timeouts", totals.getInteger("timeouts"));
          return null;
        });
    }

    /** 4.15/4.16: wait(FIRST_COMPLETED) on a fast API A and a slow API B, then cancel B. */
    Future<Void> firstCompleted() {
      JsonArray urls = new JsonArray(List.of(slow(scaled(1)), slow(scaled(10))));
      return stubStats().compose(before -> fetch(new JsonObject().put("urls", urls).put("mode", "first"))
        .compose(reply -> awaitAbandoned(before.getLong("abandoned") + 1, 20).map(after -> {
          JsonObject winner = reply.getJsonObject("winner");
          JsonObject totals = reply.getJsonObject("totals");
          long abandoned = after.getLong("abandoned") - before.getLong("abandoned");
          demo.say("4.15 first completed: url #%d won after %.0f ms; %d cancelled; the stub saw %d request(s)"
              + " abandoned by their client (the connection closed before its answer)",
            winner.getInteger("index"), totals.getDouble("ms"), totals.getInteger("cancelled"), abandoned);
          demo.say("     (asyncio.wait leaves the loser running unless you cancel it; here it is cancelled for you)");
          demo.say("");
          claims.put("first_winner", winner.getInteger("index")).put("first_cancelled", totals.getInteger("cancelled"))
            .put("first_ms", totals.getDouble("ms")).put("stub_abandoned", abandoned);
          return null;
        })));
    }

    /** 4.11: wait(FIRST_EXCEPTION) with a bad URL among good slow ones. */
    Future<Void> firstError() {
      JsonArray urls = new JsonArray(List.of(slow(scaled(1)), "python://bad", slow(scaled(1))));
      return fetch(new JsonObject().put("urls", urls).put("mode", "first-error")).map(reply -> {
        JsonObject error = reply.getJsonObject("firstError");
        JsonObject totals = reply.getJsonObject("totals");
        demo.say("4.11 first error: url #%d failed (%s) after %.0f ms; the %d others were cancelled",
          error.getInteger("index"), error.getString("error"), totals.getDouble("ms"), totals.getInteger("cancelled"));
        claims.put("first_error_index", error.getInteger("index"))
          .put("first_error_cancelled", totals.getInteger("cancelled"));
        return null;
      });
    }

    private Future<JsonObject> fetch(JsonObject call) {
      return Bus.request(demo.vertx(), FetchVerticle.RUN, call, FetchRequest.replyTimeoutMs(call));
    }

    private Future<JsonObject> stubStats() {
      return Bus.request(demo.vertx(), "stub.status", new JsonObject())
        .map(status -> ((JsonObject) status).getJsonObject("stats"));
    }

    /** The stub notices a closed connection a moment after the client resets it: look a few times. */
    private Future<JsonObject> awaitAbandoned(long atLeast, int tries) {
      return stubStats().compose(stats -> stats.getLong("abandoned") >= atLeast || tries <= 0
        ? Future.succeededFuture(stats)
        : demo.vertx().timer(10).compose(v -> awaitAbandoned(atLeast, tries - 1)));
    }
  }
}
