package org.concurrencylab.basics.task;

import io.vertx.core.Future;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The book's tasks, started at once like {@code asyncio.create_task(...)}, each cancellable for real: a
 * delay whose timer is cancelled, CPU work on a worker thread that is told to return, an HTTP GET whose
 * connection is closed.
 */
public final class Tasks {

  private Tasks() {
  }

  /**
   * The book's {@code delay(seconds)}: completes with {@code value.get()} after {@code millis}. Cancelling
   * cancels the timer, so {@code value} is never called.
   */
  public static <T> CancellableTask<T> delay(Vertx vertx, long millis, Supplier<T> value) {
    Timer timer = vertx.timer(millis);
    return new CancellableTask<>(vertx, timer.map(fired -> value.get()), timer::cancel);
  }

  /** {@link #delay(Vertx, long, Supplier)} that completes with the delay itself, as the book's does. */
  public static CancellableTask<Long> delay(Vertx vertx, long millis) {
    return delay(vertx, millis, () -> millis);
  }

  /**
   * CPU-bound (or blocking) work on a worker thread ({@code executeBlocking(callable, false)}, so several run
   * in parallel), never on an event loop. The work is given a stop signal and must look at it often enough:
   * cancelling turns it true, and the task completes as cancelled when the work has returned.
   */
  public static <T> CancellableTask<T> onWorker(Vertx vertx, Function<BooleanSupplier, T> work) {
    AtomicBoolean stop = new AtomicBoolean();
    Future<T> running = vertx.executeBlocking(() -> work.apply(stop::get), false);
    return new CancellableTask<>(vertx, running, () -> stop.set(true));
  }

  /**
   * An HTTP GET of {@code request} whose result is the response body. Cancelling resets the request: an
   * HTTP/1.1 request in flight has its connection closed, so the server sees the client hang up.
   */
  public static CancellableTask<Buffer> get(Vertx vertx, HttpClient client, RequestOptions request) {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
    Future<Buffer> body = client.request(request).compose(sending -> {
      // Set before looking at stop; the canceller sets stop before looking here: one of them resets it.
      inFlight.set(sending);
      if (stop.get()) {
        sending.reset();
        return Future.failedFuture(new CancellationException("cancelled before it was sent"));
      }
      return sending.send().compose(HttpClientResponse::body);
    });
    return new CancellableTask<>(vertx, body, () -> {
      stop.set(true);
      HttpClientRequest sending = inFlight.get();
      if (sending != null) {
        sending.reset();
      }
    });
  }
}
