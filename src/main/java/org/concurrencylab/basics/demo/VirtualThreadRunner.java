package org.concurrencylab.basics.demo;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;

import java.util.concurrent.Callable;

/**
 * A virtual-thread verticle that runs code written in direct style: inside {@link #run}, {@code future.await()}
 * suspends the virtual thread (not an event loop, not a carrier thread) until the future completes, as
 * {@code await} suspends a coroutine. Flows run on the verticle's context, which lets another of its flows run
 * whenever one awaits: one context behaves like one asyncio event loop, each flow like one of its tasks.
 * Needs JDK 21+; deploying it on an older runtime fails.
 */
final class VirtualThreadRunner extends VerticleBase {

  static DeploymentOptions options() {
    return new DeploymentOptions().setThreadingModel(ThreadingModel.VIRTUAL_THREAD);
  }

  /** Runs {@code flow} on a virtual thread of this verticle's context. */
  <T> Future<T> run(Callable<T> flow) {
    Promise<T> result = Promise.promise();
    context.runOnContext(start -> {
      try {
        result.complete(flow.call());
      } catch (Exception e) {
        result.fail(e);
      }
    });
    return result.future();
  }
}
