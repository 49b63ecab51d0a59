package org.concurrencylab.bff;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The circuit breaker around inventory: ONE vertx-circuit-breaker shared by every request and event loop of
 * the node (as the book shares one {@code CircuitBreaker}), with counters, and its state changes published on
 * {@link #CHANGED}. Disabled, it calls straight through.
 *
 * <p>How Vert.x's breaker maps to the book's (listing 10.11), parameter by parameter:
 * <ul>
 *   <li>{@code timeout}: the same; a call that takes longer counts as a failure (the call itself is not
 *       stopped by the breaker; ours gives up by its own timeout at the same moment).</li>
 *   <li>{@code max_failures} within {@code time_window}: Vert.x counts failures in a rolling window of
 *       whole seconds ({@code failuresRollingWindow / 1000} one-second buckets) and opens when the count
 *       reaches {@code maxFailures}; the book counts from the first failure and starts again once
 *       {@code time_window} has passed since it. Unlike the book, EVERY success resets Vert.x's count, so
 *       it opens on failures that come without a success in between.</li>
 *   <li>{@code reset_interval}: Vert.x goes half-open {@code resetTimeout} after opening and lets ONE trial
 *       call through (the others still fail fast): its success closes the circuit, its failure opens it
 *       again at once. The book closes fully on the first call after the interval and counts failures from
 *       zero again.</li>
 * </ul>
 */
final class InventoryBreaker {

  /** Published on every state change: {@code {state, node, ...counters}}. */
  static final String CHANGED = "bff.breaker.changed";

  private static final Logger log = LoggerFactory.getLogger(InventoryBreaker.class);

  private final Vertx vertx;
  private final BffSettings.BreakerSettings settings;
  private final String node;
  private final CircuitBreaker breaker;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong fastFails = new AtomicLong();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong halfOpened = new AtomicLong();
  private final AtomicLong closed = new AtomicLong();

  InventoryBreaker(Vertx vertx, BffSettings.BreakerSettings settings, String node) {
    this.vertx = vertx;
    this.settings = settings;
    this.node = node;
    this.breaker = CircuitBreaker.create("bff-inventory", vertx, options(settings))
      .openHandler(v -> changed(opened, "open"))
      .halfOpenHandler(v -> changed(halfOpened, "half-open"))
      .closeHandler(v -> changed(closed, "closed"));
  }

  /** The Vert.x options of the book's parameters. */
  static CircuitBreakerOptions options(BffSettings.BreakerSettings settings) {
    return new CircuitBreakerOptions()
      .setTimeout(settings.timeoutMs())
      .setMaxFailures(settings.maxFailures())
      .setFailuresRollingWindow(settings.windowMs())
      .setResetTimeout(settings.resetMs())
      // No periodic metrics on the bus (they cost a histogram update per call): state changes are published.
      .setNotificationAddress(null);
  }

  boolean enabled() {
    return settings.enabled();
  }

  /** The longest a call through the breaker may take: its timeout, or unbounded when disabled. */
  long callTimeoutMs(long timeLeftMs) {
    return settings.enabled() ? Math.min(timeLeftMs, settings.timeoutMs()) : timeLeftMs;
  }

  /** Runs {@code call} through the breaker; an open circuit fails at once with {@link OpenCircuitException}. */
  <T> Future<T> call(Supplier<Future<T>> call) {
    if (!settings.enabled()) {
      return call.get();
    }
    calls.incrementAndGet();
    return breaker.<T>execute(call).onFailure(failure -> {
      if (failure instanceof OpenCircuitException) {
        fastFails.incrementAndGet();
      } else {
        failures.incrementAndGet();
        if (failure instanceof io.vertx.circuitbreaker.TimeoutException) {
          timeouts.incrementAndGet();
        }
      }
    });
  }

  String state() {
    return label(breaker.state());
  }

  static String label(CircuitBreakerState state) {
    return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private void changed(AtomicLong counter, String state) {
    counter.incrementAndGet();
    if ("open".equals(state)) {
      log.warn("inventory circuit is open: {} failures within {} ms; calls fail fast for {} ms",
        settings.maxFailures(), settings.windowMs(), settings.resetMs());
    } else {
      log.info("inventory circuit is {}", state);
    }
    vertx.eventBus().publish(CHANGED, toJson(state).put("node", node));
  }

  JsonObject toJson() {
    return toJson(settings.enabled() ? state() : "disabled");
  }

  private JsonObject toJson(String state) {
    return new JsonObject()
      .put("state", state)
      .put("failures_in_window", settings.enabled() ? breaker.failureCount() : 0)
      .put("calls", calls.get())
      .put("failed", failures.get())
      .put("timeouts", timeouts.get())
      .put("fast_fails", fastFails.get())
      .put("opened", opened.get())
      .put("half_opened", halfOpened.get())
      .put("closed", closed.get())
      .put("settings", new JsonObject().put("timeout_ms", settings.timeoutMs()).put("window_ms", settings.windowMs())
        .put("max_failures", settings.maxFailures()).put("reset_ms", settings.resetMs()));
  }
}
