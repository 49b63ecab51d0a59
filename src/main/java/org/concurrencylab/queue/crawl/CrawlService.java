package org.concurrencylab.queue.crawl;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.Failure;

import java.time.Duration;

/**
 * {@code crawl.start} on the bus: {@code {url, max_depth?, workers?, timeout_ms?, max_seconds?}} runs a crawl
 * and answers its report; a URL that is malformed or outside {@code fetch_allow_hosts} gets a 400. Callers
 * give the request a timeout longer than {@code max_seconds}.
 */
public final class CrawlService extends VerticleBase {

  public static final String START = "crawl.start";
  static final int MAX_SECONDS = 600;

  @Override
  public Future<?> start() {
    return Bus.<Object>serve(vertx, START, this::crawl);
  }

  private Future<JsonObject> crawl(Message<Object> message) {
    JsonObject body = Bus.jsonBody(message);
    CrawlOptions options;
    try {
      if (!(body.getValue("url") instanceof String url)) {
        throw new IllegalArgumentException("url is required");
      }
      int maxSeconds = number(body, "max_seconds", 60);
      if (maxSeconds > MAX_SECONDS) {
        throw new IllegalArgumentException("max_seconds must be at most " + MAX_SECONDS);
      }
      options = new CrawlOptions(CrawlOptions.url(url), number(body, "max_depth", 3), number(body, "workers", 100),
        Duration.ofMillis(number(body, "timeout_ms", 3_000)), Duration.ofSeconds(maxSeconds),
        CrawlOptions.hosts(config().getString("fetch_allow_hosts", "")));
    } catch (IllegalArgumentException e) {
      throw Failure.BAD_REQUEST.exception(e.getMessage());
    }
    return Crawler.crawl(vertx, options, progress -> { });
  }

  private static int number(JsonObject body, String key, int fallback) {
    Object value = body.getValue(key, fallback);
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException(key + " must be an integer");
    }
    return ((Number) value).intValue();
  }
}
