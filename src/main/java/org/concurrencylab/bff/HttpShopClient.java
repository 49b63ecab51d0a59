package org.concurrencylab.bff;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.List;

/**
 * The services over HTTP with the book's URL shapes, so that the BFF can front any implementation of them
 * (the lab's {@code shop}, or the Python {@code bff_services.py}). One client per BFF event loop (its
 * connections live on that loop), keep-alive connections, no pipelining: a page sends about 1,000 inventory
 * requests at once whose answers take different times, and on a pipelined connection each would wait for the
 * slower ones queued before it.
 */
final class HttpShopClient implements ShopClient {

  /** How much longer than its caller's timeout a sent request is read: see {@link #get}. */
  static final long LATE_GRACE_MS = 1_000;

  /**
   * One client and one pool for the event loop. Vert.x's HTTP/1 pool scans its connections on every request
   * (SharedHttpClientConnectionGroup's LIFO selector), which once looked like the BFF's main cost and led to
   * shards of 32 connections; measured warm, a page with one pool of 1,000 costs the same event-loop CPU
   * (41-47 vs 36-45 ms per page, within the busy machine's noise): the cost that looked quadratic was the JIT
   * still compiling (see bench/results/bff.md).
   */
  private final HttpClientAgent client;
  private final ServiceUrl products;
  private final ServiceUrl inventory;
  private final ServiceUrl favorites;
  private final ServiceUrl cart;

  HttpShopClient(Vertx vertx, BffSettings settings) {
    this.client = vertx.httpClientBuilder()
      .with(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(60).setTcpNoDelay(true)
        .setPipelining(false))
      // The wait queue holds the requests beyond the pool; each leaves it when its own connect timeout (the
      // call's time left) passes.
      .with(new PoolOptions().setHttp1MaxSize(settings.httpPool()).setMaxWaitQueueSize(-1))
      .build();
    BffSettings.Urls urls = settings.urls();
    this.products = new ServiceUrl(urls.products());
    this.inventory = new ServiceUrl(urls.inventory());
    this.favorites = new ServiceUrl(urls.favorites());
    this.cart = new ServiceUrl(urls.cart());
  }

  @Override
  public Future<List<Integer>> productIds(long timeoutMs) {
    return get(products, "/products", timeoutMs, "products")
      .map(body -> ShopReplies.productIds(ShopReplies.parse(body, "products"), "products"));
  }

  @Override
  public Future<List<Integer>> favorites(int userId, long timeoutMs) {
    return get(favorites, "/users/" + userId + "/favorites", timeoutMs, "favorites")
      .map(body -> ShopReplies.productIds(ShopReplies.parse(body, "favorites"), "favorites"));
  }

  @Override
  public Future<List<Integer>> cart(int userId, long timeoutMs) {
    return get(cart, "/users/" + userId + "/cart", timeoutMs, "cart")
      .map(body -> ShopReplies.productIds(ShopReplies.parse(body, "cart"), "cart"));
  }

  @Override
  public Future<Integer> inventory(int productId, long timeoutMs) {
    return get(inventory, "/products/" + productId + "/inventory", timeoutMs, "inventory")
      .map(body -> ShopReplies.inventory(ShopReplies.parse(body, "inventory")));
  }

  /**
   * GETs a path of a service; the body of a 200, or a {@link BadReplyException}. A request still waiting for
   * a pooled connection after {@code timeoutMs} is dropped unsent. One sent is read for {@link #LATE_GRACE_MS}
   * longer: its caller has moved on by then (every caller keeps its own deadline), but a reply that comes a
   * little late keeps its connection in the pool, where resetting it would cost a new connection (on both
   * sides) just when the services are slow. A service that does not answer at all is reset after that.
   */
  private Future<Buffer> get(ServiceUrl service, String path, long timeoutMs, String name) {
    long timeout = Math.max(1, timeoutMs);
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(service.host())
      .setPort(service.port()).setSsl(service.ssl()).setURI(service.uri(path))
      .setConnectTimeout(timeout).setIdleTimeout(timeout + LATE_GRACE_MS);
    return client.request(request)
      .compose(sent -> sent.send())
      .compose(response -> response.body().compose(body -> response.statusCode() == 200
        ? Future.succeededFuture(body)
        : Future.failedFuture(new BadReplyException(name + " answered HTTP " + response.statusCode()))));
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  /** A base URL split once: host, port, TLS, and the path prefix and query string every call keeps. */
  private record ServiceUrl(String host, int port, boolean ssl, String prefix, String query) {

    ServiceUrl(URI uri) {
      this(uri.getHost().replaceAll("^\\[(.*)]$", "$1"), uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80,
        "https".equalsIgnoreCase(uri.getScheme()),
        uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", ""),
        uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    String uri(String path) {
      return prefix + path + query;
    }
  }
}
