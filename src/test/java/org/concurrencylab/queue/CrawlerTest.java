package org.concurrencylab.queue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.queue.crawl.CrawlOptions;
import org.concurrencylab.queue.crawl.CrawlService;
import org.concurrencylab.queue.crawl.Crawler;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.LabProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The crawler against a seeded site: exactly the pages within the depth, nothing off-site, clear refusals. */
class CrawlerTest {

  private static Vertx vertx;
  private static SyntheticSite site;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    site = Await.result(new SyntheticSite(400, 5, 7).start(vertx));
  }

  @AfterAll
  static void stop() {
    Await.result(site.close());
    Await.result(vertx.close());
  }

  /**
   * 10 s per GET: every page of the site answers, and a timeout would be a page missing; the first fetches of a JVM
   * (class loading, interpreted) took over 2 s on a busy machine, and this crawl opens 50 connections at once.
   */
  private static CrawlOptions options(String url, int depth, int workers, String allow) {
    return new CrawlOptions(CrawlOptions.url(url), depth, workers, Duration.ofSeconds(10), Duration.ofSeconds(60),
      CrawlOptions.hosts(allow));
  }

  /** One event loop, and the URLs split over two and three (links handed between loops). */
  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2, 3})
  void fetchesExactlyThePagesWithinTheDepthAndNothingElse(int loops) {
    site.requested.clear();
    site.requests.set(0);
    JsonObject report = Await.result(Crawler.crawl(vertx, options(site.url(0), 3, 50, "127.0.0.1"), loops,
      progress -> { }));

    Set<Integer> expected = site.within(3);
    Set<String> pagesRequested = site.requested.stream().filter(path -> !path.equals("/page/" + (site.pages + 1)))
      .collect(Collectors.toSet());
    assertThat(report.getInteger("pages")).isEqualTo(expected.size());
    assertThat(pagesRequested).isEqualTo(expected.stream().map(page -> "/page/" + page).collect(Collectors.toSet()));
    assertThat(report.getBoolean("complete")).isTrue();
    assertThat(report.getInteger("loops")).isEqualTo(loops);
    assertThat(report.getLong("requests")).isEqualTo(site.requests.get()); // every GET the site saw, whichever loop sent it
    // Pages below the depth were parsed: each has 5 graph links, a fragment, a missing page, mailto and off-site.
    long parsed = site.within(2).size();
    assertThat(report.getLong("links")).isEqualTo(parsed * 9);
    assertThat(report.getLong("offsite")).isEqualTo(parsed * 2); // example.com and mailto
    assertThat(report.getLong("errors")).isEqualTo(1); // the missing page, queued once
    assertThat(report.getJsonObject("error_kinds").getInteger("404")).isEqualTo(1);
  }

  @Test
  void relativeLinksResolveAgainstTheRedirectedPageAndASilentPageTimesOut() {
    Set<String> requested = java.util.concurrent.ConcurrentHashMap.newKeySet();
    HttpServer server = Await.result(vertx.createHttpServer().requestHandler(request -> {
      requested.add(request.path());
      switch (request.path()) {
        case "/old" -> request.response().setStatusCode(301).putHeader("location", "/dir/new").end();
        case "/dir/new" -> request.response().putHeader("content-type", "text/html")
          .end("<a href=\"child\">child</a> <a href=\"/silent\">silent</a>");
        case "/dir/child" -> request.response().end("<p>leaf</p>");
        default -> { } // /silent: never answers
      }
    }).listen(0, "127.0.0.1"));
    try {
      // 4 s per GET: the first fetches of a JVM (class loading, interpreted) took over 2 s on a busy machine.
      CrawlOptions options = new CrawlOptions(CrawlOptions.url("http://127.0.0.1:" + server.actualPort() + "/old"), 2, 4,
        Duration.ofSeconds(4), Duration.ofSeconds(30), CrawlOptions.hosts("127.0.0.1"));
      JsonObject report = Await.result(Crawler.crawl(vertx, options, progress -> { }));

      assertThat(requested).containsExactlyInAnyOrder("/old", "/dir/new", "/dir/child", "/silent");
      assertThat(report.getInteger("pages")).isEqualTo(2); // /old (as /dir/new) and /dir/child
      assertThat(report.getJsonObject("error_kinds").getMap()).containsOnlyKeys("TimeoutException");
      assertThat(report.getBoolean("complete")).isTrue();
    } finally {
      Await.result(server.close());
    }
  }

  @Test
  void aHostOutsideTheAllowListIsRefused() {
    String deployment = Await.result(vertx.deployVerticle(new CrawlService(),
      new DeploymentOptions().setConfig(new JsonObject().put("fetch_allow_hosts", "localhost"))));
    try {
      Throwable refused = Await.failure(Bus.request(vertx, CrawlService.START, new JsonObject().put("url", site.url(0))),
        Duration.ofSeconds(10));
      assertThat(((ReplyException) refused).failureCode()).isEqualTo(400);
      assertThat(refused).hasMessageContaining("fetch_allow_hosts");
      Throwable bad = Await.failure(Bus.request(vertx, CrawlService.START, new JsonObject().put("url", "ftp://x")),
        Duration.ofSeconds(10));
      assertThat(((ReplyException) bad).failureCode()).isEqualTo(400);

      JsonObject report = Await.result(Bus.<JsonObject>request(vertx, CrawlService.START, new JsonObject()
        .put("url", "http://localhost:" + site.port() + "/page/0").put("max_depth", 1).put("workers", 5), 30_000));
      assertThat(report.getInteger("pages")).isEqualTo(site.within(1).size());
    } finally {
      Await.result(vertx.undeploy(deployment));
    }
  }

  @Test
  void theCrawlCommandPrintsItsReport() {
    try (LabProcess crawl = LabProcess.start(dir, Map.of(), "crawl", site.url(0), "--max-depth", "2", "--workers", "10")) {
      assertThat(crawl.awaitExit(Duration.ofSeconds(60))).isZero();
      String json = crawl.stdout().get(crawl.stdout().size() - 1);
      assertThat(new JsonObject(json).getInteger("pages")).isEqualTo(site.within(2).size());
      assertThat(crawl.stdout()).anyMatch(line -> line.startsWith("crawled " + site.url(0)));
    }
    try (LabProcess refused = LabProcess.start(dir, Map.of("LAB_FETCH_ALLOW_HOSTS", "localhost"), "crawl", site.url(0))) {
      assertThat(refused.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(refused.stderr()).anyMatch(line -> line.contains("not in fetch_allow_hosts"));
    }
  }
}
