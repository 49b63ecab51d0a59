package org.concurrencylab.queue.crawl;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a crawl is asked to do, checked: an http(s) start URL whose host is in the allow-list
 * ({@code fetch_allow_hosts}: the lab fetches nothing else), a depth, workers, a per-fetch timeout and a
 * bound on the whole crawl.
 */
public record CrawlOptions(URI start, int maxDepth, int workers, Duration fetchTimeout, Duration maxDuration,
                           Set<String> allowedHosts) {

  public static final int MAX_WORKERS = 1_000;

  public CrawlOptions {
    if (start == null || start.getHost() == null
      || !("http".equalsIgnoreCase(start.getScheme()) || "https".equalsIgnoreCase(start.getScheme()))) {
      throw new IllegalArgumentException("the start must be an http:// or https:// URL with a host");
    }
    if (!allowedHosts.contains(start.getHost().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("host " + start.getHost() + " is not in fetch_allow_hosts ("
        + String.join(",", allowedHosts) + ")");
    }
    if (maxDepth < 0 || maxDepth > 100) {
      throw new IllegalArgumentException("max depth must be 0 to 100");
    }
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException("workers must be 1 to " + MAX_WORKERS);
    }
    if (fetchTimeout.isNegative() || fetchTimeout.isZero() || maxDuration.isNegative() || maxDuration.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
  }

  /** Parses a start URL, failing with IllegalArgumentException for a malformed one. */
  public static URI url(String text) {
    try {
      return URI.create(text.trim());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("not a URL: " + text);
    }
  }

  /** The hosts of a {@code fetch_allow_hosts} value ({@code "127.0.0.1,localhost"}), lower case. */
  public static Set<String> hosts(String allowList) {
    return Arrays.stream(allowList.split(","))
      .map(host -> host.trim().toLowerCase(Locale.ROOT))
      .map(host -> host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host)
      .filter(host -> !host.isEmpty())
      .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * {@code fetch_allow_hosts} as a command sees it without the lab running: the default shipped in the jar's
   * {@code conf/application.json}, overridden by {@code LAB_FETCH_ALLOW_HOSTS}.
   */
  public static String allowListSetting() {
    String fromEnv = System.getenv("LAB_FETCH_ALLOW_HOSTS");
    if (fromEnv != null) {
      return fromEnv;
    }
    try (InputStream in = CrawlOptions.class.getClassLoader().getResourceAsStream("conf/application.json")) {
      if (in == null) {
        return "127.0.0.1,localhost,::1";
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getString("fetch_allow_hosts");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
