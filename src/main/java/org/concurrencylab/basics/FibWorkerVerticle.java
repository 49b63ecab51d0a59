package org.concurrencylab.basics;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;

/**
 * {@code basics.fib}: the book's naive Fibonacci, computed on a worker thread. Deployed with
 * {@link ThreadingModel#WORKER} and one instance per core: the bus hands requests to the instances in
 * turn, and each instance handles one at a time on a worker thread, so two requests run on two cores at
 * once while no event loop ever waits for them.
 */
public final class FibWorkerVerticle extends VerticleBase {

  private final BasicsStats stats;

  FibWorkerVerticle(BasicsStats stats) {
    this.stats = stats;
  }

  /** A worker verticle for a demo of its own, outside the lab. */
  public static FibWorkerVerticle standalone() {
    return new FibWorkerVerticle(new BasicsStats());
  }

  /** Deployment options: worker threading, {@code instances} instances. */
  public static DeploymentOptions options(int instances) {
    return new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(instances);
  }

  @Override
  public Future<?> start() {
    return Bus.serve(vertx, BasicsModule.FIB, this::fib);
  }

  private Future<JsonObject> fib(Message<Object> request) {
    int n = (int) Requests.integer(Bus.jsonBody(request), "n", 1, Fibonacci.MAX_N);
    stats.running.incrementAndGet();
    try {
      long start = System.nanoTime();
      long fib = Fibonacci.fib(n);
      long millis = (System.nanoTime() - start) / 1_000_000;
      stats.fibs.incrementAndGet();
      return Future.succeededFuture(new JsonObject().put("n", n).put("fib", fib).put("ms", millis)
        .put("thread", Thread.currentThread().getName()));
    } finally {
      stats.running.decrementAndGet();
    }
  }
}
