package org.concurrencylab.blocking;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A worker verticle (deployed with {@code ThreadingModel.WORKER}) that answers each message on
 * {@code address} with the status of a blocking JDK HTTP GET of the URL in the body. Blocking is allowed
 * here: a worker instance handles one message at a time on a worker thread, so N instances make N
 * requests at once.
 */
final class BlockingGetVerticle extends VerticleBase {

  private final String address;
  private final HttpClient client;

  BlockingGetVerticle(String address, HttpClient client) {
    this.address = address;
    this.client = client;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<String>consumer(address, message -> {
      try {
        message.reply(BlockingGet.status(client, message.body()));
      } catch (Exception e) {
        message.fail(502, e.toString());
      }
    }).completion();
  }

  /** A blocking GET with the JDK client: the calling thread waits for the whole answer. */
  static final class BlockingGet {

    private BlockingGet() {
    }

    static int status(HttpClient client, String url) throws java.io.IOException, InterruptedException {
      return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }
}
