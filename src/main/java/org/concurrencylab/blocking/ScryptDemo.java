package org.concurrencylab.blocking;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.util.List;

/** {@code demo scrypt}: the book's 7.16/7.17, 10,000 scrypt hashes one after another, then on a thread pool. */
final class ScryptDemo implements Demo {

  @Override
  public String name() {
    return "scrypt";
  }

  @Override
  public String summary() {
    return "ch7 7.16-7.17: 10,000 scrypt hashes (n=2048 r=8 p=1) sequential vs on a worker pool";
  }

  @Override
  public Future<JsonObject> run(DemoContext demo) {
    int n = demo.intOption("n", 10_000);
    int workers = demo.intOption("workers", Runtime.getRuntime().availableProcessors());
    if (n < 1 || n > 1_000_000 || workers < 1 || workers > 256) {
      return Future.failedFuture(new IllegalArgumentException("need 1 <= --n <= 1000000 and 1 <= --workers <= 256"));
    }
    Scrypt.verify();
    List<Scrypt.Item> items = Scrypt.items(n, 42);
    demo.say("Chapter 7: CPU work on threads. scrypt (n=%d, r=%d, p=%d, 16-byte salt) over %,d random 10-letter passwords",
      Scrypt.N, Scrypt.R, Scrypt.P, n);
    demo.say("(the lab's RFC 7914 scrypt, checked against the RFC's test vector first)");
    demo.say("");
    JsonObject claims = new JsonObject().put("n", n).put("workers", workers);
    return ScryptRuns.sequential(demo.vertx(), items)
      .compose(sequential -> {
        demo.say("7.16 one after another, on one worker thread: %8.2f s  (%.2f ms a hash)", sequential,
          sequential * 1000 / n);
        claims.put("sequential_s", sequential);
        return ScryptRuns.pooled(demo.vertx(), items, workers);
      })
      .map(pooled -> {
        double sequential = claims.getDouble("sequential_s");
        demo.say("7.17 on a pool of %d worker threads:         %8.2f s  -> %.1fx faster", workers, pooled,
          sequential / pooled);
        demo.say("");
        demo.say("The book (8 cores, 2.4 GHz): 40+ s one after another, about 5 s threaded. hashlib.scrypt releases");
        demo.say("Python's GIL, so its threads run in parallel; Java threads always can. This machine has %d cores.",
          Runtime.getRuntime().availableProcessors());
        return claims.put("pooled_s", pooled).put("speedup", sequential / pooled);
      });
  }
}
