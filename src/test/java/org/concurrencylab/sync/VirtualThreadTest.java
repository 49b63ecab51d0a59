package org.concurrencylab.sync;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The same primitives from virtual-thread code: {@code future.await()} reads like the book's {@code await}. */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  /** Increments a counter with an await between read and write, holding the lock around both. */
  static final class Incrementer extends VerticleBase {
    static final List<Integer> counter = Collections.synchronizedList(new ArrayList<>(List.of(0)));

    @Override
    public Future<?> start() {
      Lock lock = Primitives.local(vertx).lock("vt-counter");
      for (int i = 0; i < 20; i++) {
        lock.acquire(Duration.ofSeconds(10)).await();
        try {
          int read = counter.get(0);
          vertx.timer(1).await(); // the await between read and write of the book's 11.2
          counter.set(0, read + 1);
        } finally {
          lock.release().await();
        }
      }
      return Future.succeededFuture();
    }
  }

  @Test
  void virtualThreadVerticlesAwaitTheLockAndLoseNoUpdate() {
    Await.result(vertx.deployVerticle(Incrementer::new,
      new DeploymentOptions().setThreadingModel(ThreadingModel.VIRTUAL_THREAD).setInstances(5)), Duration.ofSeconds(60));
    assertThat(Incrementer.counter.get(0)).isEqualTo(100);
  }
}
