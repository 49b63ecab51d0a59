package org.concurrencylab.queue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench site}: serves the peers' synthetic site (site_server.py) from its link graph, exported as JSON
 * ({@code [[targets of page 0], ...]}), with the same HTML byte for byte. The crawler benchmark runs both
 * crawlers against it: a Python server tops out near the Python crawler's own rate, and would measure the
 * server instead of the crawlers. Runs until SIGTERM.
 */
@Command(name = "site", mixinStandardHelpOptions = true,
  description = "Serve the synthetic site of site_server.py from its exported graph, for crawler benchmarks.")
final class SiteServer implements Callable<Integer> {

  @Option(names = "--graph", required = true, description = "JSON file: the targets of each page.")
  Path graph;

  @Option(names = "--port", required = true, description = "Port on 127.0.0.1.")
  int port;

  @Option(names = "--instances", description = "Server verticles (default ${DEFAULT-VALUE}).")
  int instances = 2;

  @Override
  public Integer call() throws Exception {
    JsonArray links = new JsonArray(Files.readString(graph));
    Buffer[] pages = new Buffer[links.size()];
    for (int page = 0; page < pages.length; page++) {
      StringBuilder items = new StringBuilder();
      for (Object target : links.getJsonArray(page)) {
        items.append("<li><a href=\"/page/").append(target).append("\">Page ").append(target).append("</a></li>\n");
      }
      pages[page] = Buffer.buffer("<!doctype html>\n<html>\n<head><title>Page " + page + "</title></head>\n"
        + "<body>\n<h1>Page " + page + "</h1>\n<ul>\n" + items + "</ul>\n</body>\n</html>\n");
    }
    Vertx vertx = Vertx.vertx();
    AtomicLong requests = new AtomicLong();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    for (int i = 0; i < instances; i++) {
      vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setAcceptBacklog(1024)
          .setTcpNoDelay(true))
        .requestHandler(request -> {
          requests.incrementAndGet();
          String path = request.path();
          int page = -1;
          if (path.startsWith("/page/")) {
            try {
              page = Integer.parseInt(path.substring(6));
            } catch (NumberFormatException ignored) {
              // 404 below
            }
          }
          if (page < 0 || page >= pages.length) {
            request.response().setStatusCode(404).end("no such page\n");
          } else {
            request.response().putHeader("content-type", "text/html; charset=utf-8").end(pages[page]);
          }
        })
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    System.err.println("site: " + pages.length + " pages on http://127.0.0.1:" + port + "/page/0");
    stop.await();
    System.out.println("{\"server\": \"lab-site\", \"pages\": " + pages.length + ", \"requests\": " + requests.get() + "}");
    return 0;
  }
}
