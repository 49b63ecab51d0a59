package org.concurrencylab.sync;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.WebClient;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;
import org.concurrencylab.sync.scenario.BroadcastRace;
import org.concurrencylab.sync.scenario.Connection;
import org.concurrencylab.sync.scenario.CountingServer;
import org.concurrencylab.sync.scenario.LimitedRequests;
import org.concurrencylab.sync.scenario.LostUpdate;
import org.concurrencylab.sync.scenario.UploadServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The chapter-11 demos: each shows the bug first, then the fix, with what was measured. */
final class SyncDemos {

  private record SimpleDemo(String name, String summary, Function<DemoContext, Future<JsonObject>> body) implements Demo {
    @Override
    public Future<JsonObject> run(DemoContext context) {
      return body.apply(context);
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(30);

  private SyncDemos() {
  }

  static List<Demo> all() {
    return List.of(
      new SimpleDemo("lost-update", "11.1-11.2: an await between read and write loses updates; a Lock fixes it",
        SyncDemos::lostUpdate),
      new SimpleDemo("broadcast-race", "11.3-11.5: a user leaving mid-broadcast breaks it; a Lock fixes it",
        SyncDemos::broadcastRace),
      new SimpleDemo("semaphore-requests", "11.7: 1,000 GETs under Semaphore(10); the server counts what it sees at once",
        SyncDemos::semaphoreRequests),
      new SimpleDemo("bounded-semaphore", "11.8-11.9: a BoundedSemaphore released too often is an error",
        SyncDemos::boundedSemaphore),
      new SimpleDemo("upload-event", "11.10-11.13: an Event set when an upload completes; a periodic trigger misses events",
        SyncDemos::uploadEvent),
      new SimpleDemo("connection-ready", "11.14-11.15: queries wait on a Condition until the connection is ready",
        SyncDemos::connectionReady));
  }

  private static Future<JsonObject> lostUpdate(DemoContext context) {
    Vertx vertx = context.vertx();
    int tasks = context.intOption("tasks", 100);
    Lock lock = Primitives.local(vertx).lock("counter");
    return vertx.sharedData().<String, Integer>getAsyncMap("counters").compose(counters -> {
      context.say("%d tasks each read the counter, await a 2 ms timer, then write it back + 1.", tasks);
      return LostUpdate.run(List.of(new LostUpdate.Side(vertx, counters, null)), "unlocked", tasks)
        .compose(unlocked -> {
          context.say("  without a lock: counter = %d (%d updates lost)", unlocked, tasks - unlocked);
          return LostUpdate.run(List.of(new LostUpdate.Side(vertx, counters, lock)), "locked", tasks)
            .map(locked -> {
              context.say("  with a Lock around read-await-write: counter = %d", locked);
              return new JsonObject().put("tasks", tasks).put("without_lock", unlocked).put("with_lock", locked);
            });
        });
    });
  }

  private static Future<JsonObject> broadcastRace(DemoContext context) {
    Vertx vertx = context.vertx();
    Duration send = Duration.ofMillis(context.intOption("send-ms", 200));
    context.say("3 users; each send takes %d ms; user-2 leaves half a send into the broadcast.", send.toMillis());
    return new BroadcastRace(3, send).run(vertx, null, vertx, null, "user-2").compose(bug -> {
      context.say("  without a lock: broadcast %s; delivered to %s", bug.error() == null ? "completed" : "failed with " + bug.error(),
        bug.delivered());
      Lock lock = Primitives.local(vertx).lock("users-" + UUID.randomUUID());
      return new BroadcastRace(3, send).run(vertx, lock, vertx, lock, "user-2").map(fixed -> {
        context.say("  with a Lock: broadcast %s; delivered to %s; users after: %s",
          fixed.error() == null ? "completed" : "failed with " + fixed.error(), fixed.delivered(), fixed.usersAfter());
        return new JsonObject().put("without_lock_error", bug.error()).put("without_lock_delivered", bug.delivered())
          .put("with_lock_error", fixed.error()).put("with_lock_delivered", fixed.delivered())
          .put("users_after", fixed.usersAfter());
      });
    });
  }

  private static Future<JsonObject> semaphoreRequests(DemoContext context) {
    Vertx vertx = context.vertx();
    int requests = context.intOption("requests", 1000);
    int permits = context.intOption("permits", 10);
    int delay = context.intOption("delay-ms", 10);
    WebClient client = LimitedRequests.client(vertx, 100);
    return CountingServer.start(vertx, delay).compose(server -> {
      context.say("%d GETs at once to a local server that answers after %d ms; the client pool has 100 connections.",
        requests, delay);
      long start = System.nanoTime();
      return LimitedRequests.fetch(client, server.port(), requests, null).compose(okWithout -> {
        int maxWithout = server.maxInFlight();
        double secondsWithout = (System.nanoTime() - start) / 1e9;
        context.say("  without a semaphore: %d OK in %.2f s; the server saw up to %d at once", okWithout, secondsWithout, maxWithout);
        server.reset();
        long again = System.nanoTime();
        Semaphore semaphore = Primitives.local(vertx).semaphore("requests-" + UUID.randomUUID(), permits);
        return LimitedRequests.fetch(client, server.port(), requests, semaphore).map(okWith -> {
          double secondsWith = (System.nanoTime() - again) / 1e9;
          context.say("  under Semaphore(%d): %d OK in %.2f s; the server saw up to %d at once", permits, okWith,
            secondsWith, server.maxInFlight());
          return new JsonObject().put("requests", requests).put("permits", permits)
            .put("max_in_flight_without", maxWithout).put("max_in_flight_with", server.maxInFlight())
            .put("ok_with", okWith).put("seconds_without", secondsWithout).put("seconds_with", secondsWith);
        });
      }).eventually(server::close);
    }).eventually(() -> {
      client.close();
      return Future.succeededFuture();
    });
  }

  private static Future<JsonObject> boundedSemaphore(DemoContext context) {
    Primitives primitives = Primitives.local(context.vertx());
    String name = UUID.randomUUID().toString();
    Semaphore plain = primitives.semaphore(name, 2);
    Semaphore bounded = primitives.boundedSemaphore(name, 2);
    context.say("Semaphore(2) and BoundedSemaphore(2): acquire once, release twice.");
    return plain.acquire(WAIT).compose(v -> plain.release()).compose(v -> plain.release()).compose(v -> plain.available())
      .compose(plainAvailable -> {
        context.say("  Semaphore: now %d permits: the extra release went unnoticed", plainAvailable);
        return bounded.acquire(WAIT).compose(v -> bounded.release()).compose(v -> bounded.release())
          .transform(result -> {
            String error = result.failed() ? result.cause().getMessage() : null;
            context.say("  BoundedSemaphore: %s", error == null ? "no error (unexpected)" : "error: " + error);
            return bounded.available().map(boundedAvailable -> new JsonObject().put("plain_available", plainAvailable)
              .put("bounded_error", error).put("bounded_available", boundedAvailable));
          });
      });
  }

  private static Future<JsonObject> uploadEvent(DemoContext context) {
    Vertx vertx = context.vertx();
    Primitives primitives = Primitives.local(vertx);
    UploadServer server = new UploadServer(primitives, "demo");
    int kilobytes = context.intOption("kb", 256);
    return vertx.deployVerticle(server, new io.vertx.core.DeploymentOptions().setConfig(new JsonObject().put("upload_port", 0)))
      .compose(id -> vertx.createNetClient().connect(server.port(), "127.0.0.1"))
      .compose(socket -> {
        context.say("A client uploads %d KB in 1 KB chunks to the upload server on port %d.", kilobytes, server.port());
        Future<Void> complete = primitives.event(UploadServer.eventName("127.0.0.1", socket.localAddress().port())).await(WAIT);
        long start = System.nanoTime();
        return sendChunks(socket, kilobytes).compose(sent -> complete).map(done -> {
          double ms = (System.nanoTime() - start) / 1e6;
          context.say("  the Event of this upload was set after %.1f ms: upload complete", ms);
          return ms;
        });
      })
      .compose(uploadMs -> missedTriggers(context).map(missed -> missed.put("upload_kb", kilobytes).put("upload_ms", uploadMs)));
  }

  private static Future<Void> sendChunks(NetSocket socket, int kilobytes) {
    Buffer chunk = Buffer.buffer(new byte[1024]);
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < kilobytes; i++) {
      chain = chain.compose(v -> socket.write(chunk));
    }
    return chain.compose(v -> socket.end());
  }

  /** 11.13: a trigger sets and clears the event every 20 ms; a worker busy for 50 ms per event misses some. */
  private static Future<JsonObject> missedTriggers(DemoContext context) {
    Vertx vertx = context.vertx();
    Event event = Primitives.local(vertx).event("trigger-" + UUID.randomUUID());
    AtomicInteger triggers = new AtomicInteger();
    AtomicInteger handled = new AtomicInteger();
    long timer = vertx.setPeriodic(20, id -> {
      triggers.incrementAndGet();
      event.set().compose(v -> event.clear());
    });
    context.say("A trigger sets and clears an Event every 20 ms for 1 s; a worker waits for it and works 50 ms each time.");
    Future<Void> worker = work(vertx, event, handled, System.nanoTime() + 1_000_000_000L);
    return worker.map(done -> {
      vertx.cancelTimer(timer);
      context.say("  %d triggers, %d handled: the Event does not count, so sets made while the worker was busy were missed",
        triggers.get(), handled.get());
      return new JsonObject().put("triggers", triggers.get()).put("handled", handled.get());
    });
  }

  private static Future<Void> work(Vertx vertx, Event event, AtomicInteger handled, long until) {
    if (System.nanoTime() > until) {
      return Future.succeededFuture();
    }
    return event.await(Duration.ofSeconds(1)).compose(v -> {
      handled.incrementAndGet();
      return vertx.timer(50);
    }).compose(v -> work(vertx, event, handled, until), failure -> Future.succeededFuture());
  }

  private static Future<JsonObject> connectionReady(DemoContext context) {
    Vertx vertx = context.vertx();
    Duration init = Duration.ofMillis(context.intOption("init-ms", 500));
    Primitives primitives = Primitives.local(vertx);
    String name = UUID.randomUUID().toString();
    Lock lock = primitives.lock(name);
    Connection buggy = new Connection(vertx, primitives.condition(name, lock), init);
    context.say("A connection takes %d ms to be ready; two queries are sent at once.", init.toMillis());
    List<Future<String>> early = List.of(buggy.queryWithoutWaiting("select * from a"), buggy.queryWithoutWaiting("select * from b"));
    List<String> errors = new ArrayList<>();
    early.forEach(query -> errors.add(query.failed() ? query.cause().getMessage() : query.result()));
    context.say("  without waiting: %s", errors);
    Connection fixed = new Connection(vertx, primitives.condition(name, lock), init);
    long start = System.nanoTime();
    List<Future<String>> queries = List.of(fixed.query("select * from a", WAIT), fixed.query("select * from b", WAIT));
    return fixed.connect().compose(v -> Future.all(queries)).map(done -> {
      double ms = (System.nanoTime() - start) / 1e6;
      List<String> results = queries.stream().map(Future::result).toList();
      context.say("  waiting on a Condition until ready: %s after %.0f ms", results, ms);
      return new JsonObject().put("without_waiting", errors).put("with_condition", results).put("ms", ms);
    });
  }
}
