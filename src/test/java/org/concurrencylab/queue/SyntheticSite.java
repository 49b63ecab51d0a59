package org.concurrencylab.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A seeded link graph served over HTTP for crawler tests (like the peers' site_server.py): page i links to
 * {@code links} pages, plus an off-site link, a fragment link to itself and a link to a page that does not
 * exist. It answers after a random delay of up to 3 ms, so pages are found along paths of several lengths,
 * and it records which pages were requested.
 */
final class SyntheticSite {

  final int pages;
  final List<List<Integer>> graph = new ArrayList<>();
  final Set<String> requested = ConcurrentHashMap.newKeySet();
  final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;

  SyntheticSite(int pages, int links, long seed) {
    this.pages = pages;
    for (int page = 0; page < pages; page++) {
      Random random = new Random(seed * 31 + page);
      List<Integer> targets = new ArrayList<>();
      while (targets.size() < links) {
        int target = random.nextInt(pages);
        if (!targets.contains(target)) {
          targets.add(target);
        }
      }
      graph.add(targets);
    }
  }

  Future<SyntheticSite> start(Vertx vertx) {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setAcceptBacklog(1024))
      .requestHandler(request -> {
        requests.incrementAndGet();
        requested.add(request.path());
        int page = -1;
        if (request.path().startsWith("/page/")) {
          try {
            page = Integer.parseInt(request.path().substring(6));
          } catch (NumberFormatException ignored) {
            // a 404 below
          }
        }
        if (page < 0 || page >= pages) {
          request.response().setStatusCode(404).end("no such page");
          return;
        }
        String html = render(page);
        vertx.setTimer(1 + (page * 7L) % 3, t -> request.response().putHeader("content-type", "text/html").end(html));
      })
      .listen()
      .map(listening -> {
        server = listening;
        return this;
      });
  }

  int port() {
    return server.actualPort();
  }

  String url(int page) {
    return "http://127.0.0.1:" + port() + "/page/" + page;
  }

  private String render(int page) {
    StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Page " + page + "</title></head><body><ul>");
    graph.get(page).forEach(target -> html.append("<li><a href=\"/page/").append(target).append("\">Page ")
      .append(target).append("</a></li>"));
    html.append("</ul><p><a href=\"http://example.com/\">Elsewhere</a> <a href=\"#top\">Top</a> ")
      .append("<a href=\"mailto:someone@example.com\">Mail</a> <a href=\"/page/").append(pages + 1).append("\">Gone</a></p>")
      .append("</body></html>");
    return html.toString();
  }

  /** The pages within {@code depth} links of page 0, by breadth-first search. */
  Set<Integer> within(int depth) {
    Set<Integer> seen = new HashSet<>(List.of(0));
    ArrayDeque<int[]> frontier = new ArrayDeque<>();
    frontier.add(new int[] {0, 0});
    while (!frontier.isEmpty()) {
      int[] next = frontier.poll();
      if (next[1] == depth) {
        continue;
      }
      for (int target : graph.get(next[0])) {
        if (seen.add(target)) {
          frontier.add(new int[] {target, next[1] + 1});
        }
      }
    }
    return seen;
  }

  Future<Void> close() {
    return server.close();
  }
}
