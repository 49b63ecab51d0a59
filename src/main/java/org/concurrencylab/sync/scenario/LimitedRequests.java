package org.concurrencylab.sync.scenario;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.concurrencylab.sync.Semaphore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The book's 11.7: many GETs started at once, each taking a permit of a {@code Semaphore(10)} first, so
 * that at most ten reach the server together. Without the semaphore, as many reach it as the client's
 * connection pool allows.
 */
public final class LimitedRequests {

  private LimitedRequests() {
  }

  /** A client whose pool would let {@code connections} requests through at once. */
  public static WebClient client(Vertx vertx, int connections) {
    return WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
      new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
  }

  /** Sends {@code count} GETs to {@code port}, all at once, each under {@code semaphore} when it is not null. */
  public static Future<Integer> fetch(WebClient client, int port, int count, Semaphore semaphore) {
    List<Future<Integer>> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(semaphore == null ? get(client, port)
        : semaphore.withPermit(Duration.ofSeconds(60), () -> get(client, port)));
    }
    return Future.all(requests).map(done -> (int) requests.stream().filter(r -> r.result() == 200).count());
  }

  private static Future<Integer> get(WebClient client, int port) {
    return client.get(port, "127.0.0.1", "/").timeout(30_000).send().map(response -> response.statusCode());
  }
}
