package org.concurrencylab.bff;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.api.AllowedHosts;
import org.concurrencylab.spi.StartupException;

import java.net.URI;
import java.util.Locale;

/**
 * The backend-for-frontend's settings, read once from the node's configuration and checked: a value the BFF
 * cannot work with stops start-up with a {@link StartupException} naming its key.
 *
 * @param deadlineMs           each of the two waits of a page (the book's 1.0 s)
 * @param inventoryConcurrency inventory calls in flight at once for one page
 * @param httpPool             connections per service and event loop ({@code bff_transport=http})
 */
record BffSettings(int port, int instances, Transport transport, Urls urls, int httpPool, int userId,
                   long deadlineMs, int inventoryConcurrency, RetrySettings retry, BreakerSettings breaker) {

  /** How the BFF reaches the services. */
  enum Transport {
    BUS, HTTP;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The services' base URLs, e.g. {@code http://127.0.0.1:8100}; a path prefix or a query string is kept. */
  record Urls(URI products, URI inventory, URI favorites, URI cart) {
  }

  /** The book's {@code retry(coro, max_retries, timeout, retry_interval)} for favorites and cart. */
  record RetrySettings(int attempts, long timeoutMs, long intervalMs) {
  }

  /**
   * The circuit breaker around inventory: the book's {@code CircuitBreaker(timeout, time_window,
   * max_failures, reset_interval)}; {@code enabled} false calls inventory directly (the peer's --no-breaker).
   */
  record BreakerSettings(boolean enabled, long timeoutMs, long windowMs, int maxFailures, long resetMs) {
  }

  static BffSettings from(JsonObject config) {
    Transport transport = switch (config.getString("bff_transport").trim().toLowerCase(Locale.ROOT)) {
      case "bus" -> Transport.BUS;
      case "http" -> Transport.HTTP;
      default -> throw new StartupException("bff_transport",
        "must be \"bus\" or \"http\", not \"" + config.getString("bff_transport") + "\"");
    };
    RetrySettings retry = new RetrySettings(atLeast(config, "bff_retries", 1),
      atLeast(config, "bff_retry_timeout_ms", 1), config.getInteger("bff_retry_interval_ms"));
    // Vert.x counts a breaker's failures in one-second buckets (window / 1000 of them): under 1 s it never opens.
    BreakerSettings breaker = new BreakerSettings(config.getBoolean("bff_breaker"),
      atLeast(config, "bff_breaker_timeout_ms", 1), atLeast(config, "bff_breaker_window_ms", 1_000),
      atLeast(config, "bff_breaker_max_failures", 1), atLeast(config, "bff_breaker_reset_ms", 1));
    return new BffSettings(config.getInteger("bff_port"), config.getInteger("bff_instances"), transport,
      urls(config, transport), atLeast(config, "bff_http_pool", 1), atLeast(config, "bff_user_id", 1),
      atLeast(config, "bff_deadline_ms", 1), atLeast(config, "bff_inventory_concurrency", 1), retry, breaker);
  }

  private static int atLeast(JsonObject config, String key, int minimum) {
    int value = config.getInteger(key);
    if (value < minimum) {
      throw new StartupException(key, "must be at least " + minimum + ", not " + value);
    }
    return value;
  }

  /** The four base URLs: as configured, or the lab's own services on {@code host:bff_services_port+n}. */
  private static Urls urls(JsonObject config, Transport transport) {
    String host = config.getString("host", "127.0.0.1");
    int base = config.getInteger("bff_services_port");
    String[] services = {"products", "inventory", "favorites", "cart"};
    URI[] uris = new URI[services.length];
    AllowedHosts anyHost = AllowedHosts.parse("*"); // configured by the operator: checked for shape only
    for (int i = 0; i < services.length; i++) {
      String key = "bff_" + services[i] + "_url";
      String url = config.getString(key, "").trim();
      if (url.isEmpty()) {
        if (transport == Transport.HTTP && base == 0) {
          throw new StartupException(key, "bff_transport=http needs the " + services[i]
            + " service's URL when bff_services_port is 0");
        }
        url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + (base + i);
      }
      try {
        uris[i] = anyHost.check(url);
      } catch (IllegalArgumentException e) {
        throw new StartupException(key, url + ": " + e.getMessage());
      }
    }
    return new Urls(uris[0], uris[1], uris[2], uris[3]);
  }

  JsonObject toJson() {
    return new JsonObject()
      .put("transport", transport.label())
      .put("user_id", userId)
      .put("deadline_ms", deadlineMs)
      .put("inventory_concurrency", inventoryConcurrency)
      .put("retry", new JsonObject().put("attempts", retry.attempts()).put("timeout_ms", retry.timeoutMs())
        .put("interval_ms", retry.intervalMs()))
      .put("services", transport == Transport.BUS ? null : new JsonObject()
        .put("products", urls.products().toString()).put("inventory", urls.inventory().toString())
        .put("favorites", urls.favorites().toString()).put("cart", urls.cart().toString())
        .put("pool_per_event_loop", httpPool));
  }
}
