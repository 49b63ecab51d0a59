package org.concurrencylab.measure;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BlockedThreadWatchTest {

  @Test
  void catchesTheCheckersReportOfABlockedEventLoop() {
    Vertx vertx = Vertx.vertx(new VertxOptions()
      .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try (BlockedThreadWatch watch = BlockedThreadWatch.open()) {
      Await.result(vertx.getOrCreateContext().<Void>executeBlocking(() -> null).compose(v -> {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        vertx.runOnContext(ignored -> {
          long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
          while (System.nanoTime() < end) {
            Thread.onSpinWait(); // CPU work on the event loop, on purpose
          }
          done.complete();
        });
        return done.future();
      }));
      assertThat(watch.longestBlockMillis()).isGreaterThanOrEqualTo(100);
      assertThat(watch.reports()).allMatch(r -> r.thread().contains("vert.x-eventloop-thread"));
    } finally {
      Await.result(vertx.close());
    }
  }
}
