package org.concurrencylab.fetch;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.api.AllowedHosts;
import org.concurrencylab.bus.Failure;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One call of {@code fetch.run}, checked: {@code {urls: [...]} | {url, count}}, {@code mode}, {@code limit},
 * {@code timeoutMs}, {@code deadlineMs}, and optionally {@code publish} (a bus address that receives each
 * result as it lands) and {@code id}. A malformed call is a 400; a bad URL inside a good call is not: it
 * becomes that URL's error in the reply.
 */
record FetchRequest(String id, List<Target> targets, FetchMode mode, int limit, long timeoutMs, long deadlineMs,
                    String publish) {

  static final int MAX_URLS = 10_000;
  static final int MAX_LIMIT = 1_000;
  static final int DEFAULT_LIMIT = 100;
  static final long DEFAULT_TIMEOUT_MS = 10_000;
  static final long DEFAULT_DEADLINE_MS = 60_000;
  static final long MAX_DEADLINE_MS = 600_000;

  /**
   * One URL to fetch: its position in the call, and either where to send the request or why it cannot be
   * sent ({@code problem}).
   */
  record Target(int index, String url, RequestOptions options, String problem) {

    Target at(int newIndex) {
      return new Target(newIndex, url, options, problem);
    }
  }

  /** The bus timeout a caller should use for this body: its deadline plus a margin for the reply. */
  static long replyTimeoutMs(JsonObject body) {
    Object deadline = body == null ? null : body.getValue("deadlineMs");
    long ms = deadline instanceof Number n ? n.longValue() : DEFAULT_DEADLINE_MS;
    return Math.max(1, Math.min(ms, MAX_DEADLINE_MS)) + 5_000;
  }

  static FetchRequest parse(JsonObject body, AllowedHosts allowed) {
    try {
      return parseChecked(body, allowed);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw Failure.BAD_REQUEST.exception(e instanceof ClassCastException
        ? "a field has the wrong type (" + e.getMessage() + ")" : e.getMessage());
    }
  }

  private static FetchRequest parseChecked(JsonObject body, AllowedHosts allowed) {
    List<Target> targets = new ArrayList<>();
    Object urls = body.getValue("urls");
    Object url = body.getValue("url");
    if (urls != null && url != null) {
      throw new IllegalArgumentException("give either urls or url with count, not both");
    }
    if (urls instanceof JsonArray list) {
      if (list.size() > MAX_URLS) {
        throw new IllegalArgumentException("at most " + MAX_URLS + " URLs per call, not " + list.size());
      }
      for (int i = 0; i < list.size(); i++) {
        if (!(list.getValue(i) instanceof String text)) {
          throw new IllegalArgumentException("urls[" + i + "] must be a string");
        }
        targets.add(target(i, text, allowed));
      }
    } else if (url instanceof String text) {
      long count = number(body, "count", 1, 1, Long.MAX_VALUE);
      if (count > MAX_URLS) {
        throw new IllegalArgumentException("at most " + MAX_URLS + " URLs per call, not " + count);
      }
      Target template = target(0, text, allowed);
      for (int i = 0; i < count; i++) {
        targets.add(template.at(i));
      }
    } else if (urls != null || url != null) {
      throw new IllegalArgumentException(urls != null ? "urls must be an array of strings" : "url must be a string");
    } else {
      throw new IllegalArgumentException("give urls: [...] or url with count");
    }
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("urls must not be empty");
    }
    FetchMode mode = FetchMode.of(body.getString("mode", FetchMode.ALL.spelled()));
    int limit = (int) number(body, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
    long timeout = number(body, "timeoutMs", DEFAULT_TIMEOUT_MS, 1, MAX_DEADLINE_MS);
    long deadline = number(body, "deadlineMs", DEFAULT_DEADLINE_MS, 1, MAX_DEADLINE_MS);
    String publish = body.getString("publish");
    if (publish != null && (publish.isBlank() || publish.length() > 200)) {
      throw new IllegalArgumentException("publish must be a bus address of 1 to 200 characters");
    }
    String id = body.getString("id");
    if (id == null || id.isBlank()) {
      id = UUID.randomUUID().toString();
    } else if (id.length() > 100) {
      throw new IllegalArgumentException("id must be at most 100 characters");
    }
    return new FetchRequest(id, List.copyOf(targets), mode, limit, timeout, deadline, publish);
  }

  private static Target target(int index, String url, AllowedHosts allowed) {
    URI uri;
    try {
      uri = allowed.check(url);
    } catch (IllegalArgumentException e) {
      return new Target(index, url, null, e.getMessage());
    }
    boolean tls = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(port)
      .setSsl(tls).setURI(path + query);
    return new Target(index, url, options, null);
  }

  private static long number(JsonObject body, String name, long fallback, long min, long max) {
    Object value = body.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException(name + " must be an integer");
    }
    long n = ((Number) value).longValue();
    if (n < min || n > max) {
      throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", not " + n);
    }
    return n;
  }
}
