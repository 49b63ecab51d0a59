package org.concurrencylab.bff;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code demo breaker}: the book's listing 10.12 on vertx-circuit-breaker. A callback that takes 2 s behind a
 * breaker with timeout 1.0 s, 2 failures within 5 s, reset after 5 s: four calls, a 5 s sleep, four more
 * calls, each printed with the state it found, beside the state the book's own breaker prints. Then the
 * callback becomes fast, as a service that recovers, and the breaker closes. {@code --scale 0.1} runs every
 * time ten times shorter (the 5 s failure window, which nobody waits for, stays).
 */
final class BreakerDemo implements Demo {

  /** What the book's breaker prints for the eight calls of listing 10.12. */
  static final List<String> BOOK_STATES = List.of("closed", "closed", "open", "open", "closed", "closed", "open", "open");

  @Override
  public String name() {
    return "breaker";
  }

  @Override
  public String summary() {
    return "ch10 10.11-10.12: circuit breaker around a slow callback: closed, closed, open, open, then reset";
  }

  @Override
  public Future<JsonObject> run(DemoContext demo) {
    double scale;
    try {
      scale = Double.parseDouble(demo.option("scale", "1"));
    } catch (NumberFormatException e) {
      scale = -1;
    }
    if (!(scale >= 0.02 && scale <= 1)) {
      return Future.failedFuture(new IllegalArgumentException("--scale must be a number from 0.02 to 1"));
    }
    return new Story(demo, scale).tell();
  }

  /** One run of the listing. */
  private static final class Story {
    private final DemoContext demo;
    private final Vertx vertx;
    private final long timeoutMs;
    private final long resetMs;
    private final AtomicReference<Long> callbackMs;
    private final CircuitBreaker breaker;
    private final JsonArray states = new JsonArray();
    private final JsonArray outcomes = new JsonArray();
    private final JsonArray millis = new JsonArray();
    private volatile Promise<Void> halfOpen = Promise.promise();

    Story(DemoContext demo, double scale) {
      this.demo = demo;
      this.vertx = demo.vertx();
      this.timeoutMs = Math.round(1_000 * scale);
      this.resetMs = Math.round(5_000 * scale);
      this.callbackMs = new AtomicReference<>(Math.round(2_000 * scale));
      // The book's CircuitBreaker(slow_callback, timeout=1.0, time_window=5, max_failures=2, reset_interval=5).
      this.breaker = CircuitBreaker.create("demo", vertx, InventoryBreaker.options(
          new BffSettings.BreakerSettings(true, timeoutMs, 5_000, 2, resetMs)))
        .halfOpenHandler(v -> halfOpen.tryComplete());
    }

    Future<JsonObject> tell() {
      demo.say("Chapter 10, listing 10.12: a circuit breaker around a callback that takes %d ms", callbackMs.get());
      demo.say("(vertx-circuit-breaker: timeout %d ms, opens at 2 failures within 5 s, half-opens %d ms after opening)%n",
        timeoutMs, resetMs);
      demo.say("  call  circuit found  outcome                   ms    the book prints");
      JsonObject claims = new JsonObject();
      long sleepMs = resetMs;
      return calls(1, 4)
        .compose(v -> {
          demo.say("  Sleeping %d ms so the breaker closes...", sleepMs);
          long started = System.nanoTime();
          // Vert.x half-opens resetMs after it OPENED (the end of call 2); the book's sleep starts after call 4,
          // about then: wait for the event as well, so that the race between the two never decides the story.
          return vertx.timer(sleepMs).compose(t -> halfOpen.future().timeout(2 * resetMs + 1_000, TimeUnit.MILLISECONDS))
            .onSuccess(t -> claims.put("slept_ms", (System.nanoTime() - started) / 1_000_000));
        })
        .compose(v -> calls(5, 8))
        .compose(v -> {
          callbackMs.set(Math.max(1, timeoutMs / 100));
          halfOpen = Promise.promise();
          demo.say("%n  The service recovers (it answers in %d ms); after the reset interval:", callbackMs.get());
          return halfOpen.future().timeout(2 * resetMs + 1_000, TimeUnit.MILLISECONDS);
        })
        .compose(v -> calls(9, 10))
        .map(v -> {
          demo.say("");
          demo.say("The book's breaker, then this one, state found by each call:");
          demo.say("  book:    %s (then, after recovering: closed, closed)", String.join(", ", BOOK_STATES));
          demo.say("  Vert.x:  %s", states.stream().map(Object::toString).reduce((a, b) -> a + ", " + b).orElse(""));
          demo.say("Calls 1-5 match: two calls time out, the circuit opens, two calls fail fast, and after the reset");
          demo.say("interval the next call goes through again (the book: 'going from open to closed'; Vert.x: half-open,");
          demo.say("one trial call). They part at call 6: the trial call timed out, and Vert.x opens again at once,");
          demo.say("where the book starts counting failures from zero. Once the service is fast, the trial succeeds and");
          demo.say("the circuit is closed.");
          return claims.put("states", states).put("book_states", new JsonArray(BOOK_STATES))
            .put("outcomes", outcomes).put("ms", millis).put("final_state", InventoryBreaker.label(breaker.state()));
        });
    }

    private Future<Void> calls(int from, int to) {
      Future<Void> chain = Future.succeededFuture();
      for (int call = from; call <= to; call++) {
        int number = call;
        chain = chain.compose(v -> call(number));
      }
      return chain;
    }

    private Future<Void> call(int number) {
      String found = InventoryBreaker.label(breaker.state());
      long started = System.nanoTime();
      long work = callbackMs.get();
      return breaker.<Void>execute(() -> vertx.timer(work).mapEmpty())
        .transform(result -> {
          long ms = (System.nanoTime() - started) / 1_000_000;
          String outcome = result.succeeded() ? "succeeded"
            : result.cause() instanceof OpenCircuitException ? "failed fast"
            : result.cause() instanceof io.vertx.circuitbreaker.TimeoutException ? "timed out" : "failed";
          String after = InventoryBreaker.label(breaker.state());
          String shown = outcome + (after.equals(found) ? "" : ", now " + after);
          String book = number <= BOOK_STATES.size() ? BOOK_STATES.get(number - 1) : "closed";
          demo.say("  %-4d  %-13s  %-24s %5d  %s", number, found, shown, ms, book);
          states.add(found);
          outcomes.add(outcome);
          millis.add(ms);
          return Future.succeededFuture();
        });
    }
  }
}
