package org.concurrencylab.queue.crawl;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/**
 * Turns a page's links into absolute URLs on the start's site, exactly as jsoup's {@code absUrl} would, but
 * without a URL parse for the common link: a plain absolute path ({@code /page/7}) on a page of the start's
 * origin is the origin's root followed by the path. Anything else (relative, dot segments, other characters,
 * another origin, a {@code <base href>} elsewhere) goes through {@code absUrl} and a site check.
 */
final class LinkResolver {

  /** {@code scheme://authority/} of the start URL, or null when its authority is not a plain host[:port]. */
  private final String origin;
  private final String site;

  LinkResolver(String startUrl, String site) {
    this.site = site;
    this.origin = plainOrigin(startUrl);
  }

  private static String plainOrigin(String url) {
    int scheme = url.indexOf("://");
    int slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    if (slash < 0) {
      return null;
    }
    for (int i = scheme + 3; i < slash; i++) {
      char c = url.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == ':')) {
        return null; // upper case, user info, IPv6, a query before the path ...: leave it to jsoup
      }
    }
    String origin = url.substring(0, slash + 1);
    // Only where jsoup resolves "/" against the start to this very origin (same scheme, host and port text).
    Element root = Jsoup.parse("<a href=\"/\"></a>", url).selectFirst("a");
    return root != null && origin.equals(root.absUrl("href")) ? origin : null;
  }

  /** The path and query of a URL on the start's origin ({@code /page/7}), or null for any other URL. */
  String pathOnStartOrigin(String url) {
    return origin != null && url.startsWith(origin) ? url.substring(origin.length() - 1) : null;
  }

  /** The link's absolute URL without its fragment when it stays on the start's site, else null. */
  String sameSite(String pageBase, String href, Element anchor) {
    if (origin != null && pageBase.startsWith(origin)) {
      String path = plainPath(href);
      if (path != null) {
        return origin + path.substring(1);
      }
    }
    String child = Crawler.withoutFragment(anchor.absUrl("href"));
    return !child.isEmpty() && site.equals(Crawler.siteOf(child)) ? child : null;
  }

  /**
   * {@code href} without its fragment when it is an absolute path that resolution leaves as it is (letters,
   * digits, {@code / - _ . ~ ? = &}, no dot segments, not {@code //host}), else null.
   */
  static String plainPath(String href) {
    int hash = href.indexOf('#');
    int end = hash < 0 ? href.length() : hash;
    if (end == 0 || href.charAt(0) != '/' || end > 1 && href.charAt(1) == '/') {
      return null;
    }
    for (int i = 1; i < end; i++) {
      char c = href.charAt(i);
      boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '/' || c == '-' || c == '_' || c == '~' || c == '?' || c == '=' || c == '&'
        || c == '.' && href.charAt(i - 1) != '/'; // "/." may start a dot segment
      if (!plain) {
        return null;
      }
    }
    return hash < 0 ? href : href.substring(0, hash);
  }
}
