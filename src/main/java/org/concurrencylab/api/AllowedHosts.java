package org.concurrencylab.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which hosts the lab's outgoing HTTP clients (fetch, the load tester, the crawler) may call: the setting
 * {@code fetch_allow_hosts} ({@code LAB_FETCH_ALLOW_HOSTS}), a comma list of host names and IP literals,
 * loopback only by default. {@code *.example.test} allows a domain's sub-hosts and {@code *} allows any
 * host. Without it, a service that fetches URLs given by a caller could be pointed at any address.
 *
 * <p>The check reads the URL's host as written: names and literals are compared as text (case- and
 * bracket-insensitive), so {@code 127.1} is not {@code 127.0.0.1} and is refused unless listed.
 */
public final class AllowedHosts {

  /** The setting's key in {@code conf/application.json}. */
  public static final String SETTING = "fetch_allow_hosts";
  /** The longest URL accepted; longer ones are refused before any request. */
  public static final int MAX_URL_LENGTH = 2_048;

  private final Set<String> exact = new LinkedHashSet<>();
  private final List<String> suffixes;
  private final boolean any;
  private final String spelled;

  private AllowedHosts(String setting) {
    spelled = setting == null ? "" : setting.trim();
    List<String> wildcards = new java.util.ArrayList<>();
    boolean all = false;
    for (String entry : spelled.split(",")) {
      String host = normalize(entry);
      if (host.isEmpty()) {
        continue;
      }
      if (host.equals("*")) {
        all = true;
      } else if (host.startsWith("*.")) {
        wildcards.add(host.substring(1));
      } else {
        exact.add(host);
      }
    }
    suffixes = List.copyOf(wildcards);
    any = all;
  }

  /** The allow-list a setting value spells, e.g. {@code "127.0.0.1,localhost,::1"}. */
  public static AllowedHosts parse(String setting) {
    return new AllowedHosts(setting);
  }

  /** The allow-list of a node's (or command's) configuration. */
  public static AllowedHosts fromConfig(io.vertx.core.json.JsonObject config) {
    return parse(config.getString(SETTING, "127.0.0.1,localhost,::1"));
  }

  /** True when {@code host} (as a URL spells it, brackets or not) may be called. */
  public boolean allows(String host) {
    String h = normalize(host);
    if (h.isEmpty()) {
      return false;
    }
    return any || exact.contains(h) || suffixes.stream().anyMatch(h::endsWith);
  }

  /**
   * Checks a URL a caller gave: it must parse, be http or https, name a host, and that host must be
   * allowed. Returns the parsed URI, or throws {@link IllegalArgumentException} with a message a person
   * can read (it becomes a per-URL error or a 400).
   */
  public URI check(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("empty URL");
    }
    if (url.length() > MAX_URL_LENGTH) {
      throw new IllegalArgumentException("URL longer than " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(scheme.isEmpty()
        ? "not an absolute URL (only http and https URLs are fetched)"
        : "unsupported scheme '" + scheme + "' (only http and https)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in the URL");
    }
    if (!allows(uri.getHost())) {
      throw new IllegalArgumentException("host '" + uri.getHost() + "' is not allowed (allowed: "
        + (spelled.isEmpty() ? "none" : spelled) + "; setting LAB_FETCH_ALLOW_HOSTS)");
    }
    return uri;
  }

  @Override
  public String toString() {
    return spelled;
  }

  private static String normalize(String host) {
    if (host == null) {
      return "";
    }
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.endsWith(".") && h.length() > 1) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }
}
