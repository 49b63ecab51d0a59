package org.concurrencylab.queue.crawl;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The resolver's shortcut gives the very URLs jsoup's absUrl gives (so the crawl's page set cannot change). */
class LinkResolverTest {

  private static final List<String> HREFS = List.of("/page/7", "/page/7#top", "/", "/a/b.html?x=1&y=2", "/a/./b",
    "/a/../b", "/a/.", "/a b", "/%41", "/\u00e4", "//other.example/x", "page/7", "../x", "#top", "?q=1",
    "http://127.0.0.1:8090/page/3", "http://example.com/", "mailto:someone@example.com", "/a\\b", " /page/1",
    "/page/1\t", "javascript:void(0)", "/a..b/c.", "HTTP://127.0.0.1:8090/x");

  private static final List<String> STARTS = List.of("http://127.0.0.1:8090/page/0", "http://localhost/",
    "http://LocalHost:8090/page/0", "http://user@localhost:8090/x", "https://localhost/a/b?c#d",
    "http://[::1]:8090/page/0", "http://localhost:80/x");

  @Test
  void resolvesEveryLinkAsJsoupDoes() {
    for (String start : STARTS) {
      String site = Crawler.siteOf(start);
      LinkResolver resolver = new LinkResolver(Crawler.withoutFragment(start), site);
      for (String base : List.of(Crawler.withoutFragment(start), "http://127.0.0.1:8090/deep/er/page",
        "http://elsewhere.example/page/1")) {
        for (String href : HREFS) {
          Document page = Jsoup.parse("<a></a>", base);
          Element anchor = page.selectFirst("a").attr("href", href);
          String expected = Crawler.withoutFragment(anchor.absUrl("href"));
          boolean sameSite = !expected.isEmpty() && site.equals(Crawler.siteOf(expected));
          assertThat(resolver.sameSite(page.baseUri(), href, anchor))
            .as("start %s, base %s, href %s", start, base, href)
            .isEqualTo(sameSite ? expected : null);
        }
      }
    }
  }

  @Test
  void onlyPlainAbsolutePathsTakeTheShortcut() {
    assertThat(LinkResolver.plainPath("/page/7#top")).isEqualTo("/page/7");
    assertThat(LinkResolver.plainPath("/a/b.html?x=1&y=2")).isEqualTo("/a/b.html?x=1&y=2");
    assertThat(LinkResolver.plainPath("/a/../b")).isNull();
    assertThat(LinkResolver.plainPath("//host/x")).isNull();
    assertThat(LinkResolver.plainPath("page/7")).isNull();
    assertThat(LinkResolver.plainPath("/a b")).isNull();
    assertThat(LinkResolver.plainPath("#top")).isNull();
  }

  @Test
  void requestsGoByPathOnlyOnTheStartsOrigin() {
    LinkResolver resolver = new LinkResolver("http://127.0.0.1:8090/page/0", "127.0.0.1:8090");
    assertThat(resolver.pathOnStartOrigin("http://127.0.0.1:8090/page/5?x=1")).isEqualTo("/page/5?x=1");
    assertThat(resolver.pathOnStartOrigin("http://127.0.0.1:8091/page/5")).isNull();
    assertThat(new LinkResolver("http://user@localhost:8090/x", "localhost:8090")
      .pathOnStartOrigin("http://user@localhost:8090/x")).isNull();
  }
}
