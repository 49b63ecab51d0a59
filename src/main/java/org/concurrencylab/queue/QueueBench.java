package org.concurrencylab.queue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.measure.ProcessCpu;
import org.concurrencylab.queue.work.WorkQueueBroker;
import org.concurrencylab.queue.work.WorkQueueClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench queues}: the counterpart of the peers' {@code queue_bench.py}. {@code --mode throughput}: P
 * producers put N items in all, C consumers take them and mark each done, then {@code join}.
 * {@code --mode request-reply}: P clients send N requests in all, one at a time, each answered by one of C
 * servers. {@code --via local} uses an {@link AsyncQueue} (all tasks on one event loop, as asyncio's single
 * loop); {@code --via bus} goes through the event bus: the work-queue broker ({@code queue.work.*}, items in
 * batches of {@code --batch}) for throughput, plain bus request-reply for request-reply. Items are made
 * before the clock starts, once per process; unmeasured runs of the same workload come first, at least
 * {@code --warmup} of them and for at least {@code --warmup-seconds} (the JIT's warm-up; CPython has none).
 * Prints a table and one JSON line with the peer's fields.
 */
@Command(name = "queues", mixinStandardHelpOptions = true,
  description = "Queue throughput and request-reply round trips (the peers' queue_bench.py).")
final class QueueBench implements Callable<Integer> {

  @Option(names = "--items", description = "Items (or requests) in all (default ${DEFAULT-VALUE}).")
  int items = 100_000;

  @Option(names = "--producers", description = "Producers, or clients in request-reply mode (default ${DEFAULT-VALUE}).")
  int producers = 1;

  @Option(names = "--consumers", description = "Consumers, or servers in request-reply mode (default ${DEFAULT-VALUE}).")
  int consumers = 1;

  @Option(names = "--kind", description = "fifo, priority or lifo (default ${DEFAULT-VALUE}).")
  String kind = "fifo";

  @Option(names = "--maxsize", description = "Queue bound, 0 = unbounded (default ${DEFAULT-VALUE}).")
  int maxsize = 0;

  @Option(names = "--mode", description = "throughput or request-reply (default ${DEFAULT-VALUE}).")
  String mode = "throughput";

  @Option(names = "--via", description = "local (AsyncQueue) or bus (default ${DEFAULT-VALUE}).")
  String via = "local";

  @Option(names = "--batch", description = "Items per bus message in bus throughput mode (default ${DEFAULT-VALUE}).")
  int batch = 100;

  @Option(names = "--warmup", description = "Unmeasured runs first, at least (default ${DEFAULT-VALUE}).")
  int warmup = 1;

  @Option(names = "--warmup-seconds", description = "Unmeasured runs go on until this long has passed (default ${DEFAULT-VALUE}).")
  double warmupSeconds = 5;

  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A priority item: the peer's (priority, sequence) tuple. */
  record Prioritized(int priority, int sequence) {
  }

  @Override
  public Integer call() throws Exception {
    AsyncQueue.Kind queueKind = AsyncQueue.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
    if (items < 1 || producers < 1 || consumers < 1 || maxsize < 0 || batch < 1) {
      System.err.println("error: need --items, --producers, --consumers, --batch >= 1 and --maxsize >= 0");
      return 2;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      // The same workload, unmeasured, until HotSpot has compiled its hot paths: a run of 20,000 round trips
      // takes ~10 ms, far less than the JIT needs, so a count of runs alone would measure the interpreter.
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      for (int run = 0; run < warmup || System.nanoTime() < warmupEnd; run++) {
        runOnce(vertx, queueKind).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      }
      long cpuStart = ProcessCpu.nanos();
      double seconds = runOnce(vertx, queueKind).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      double cpu = (ProcessCpu.nanos() - cpuStart) / 1e9;
      long perSecond = Math.round(items / seconds);
      System.out.printf(Locale.ROOT, "%-14s %-9s %-6s %5s %5s %8s %10s %12s%n", "mode", "kind", "via", "P", "C",
        "maxsize", "seconds", "per_s");
      System.out.printf(Locale.ROOT, "%-14s %-9s %-6s %5d %5d %8d %10.3f %12d%n", mode, kind, via, producers, consumers,
        maxsize, seconds, perSecond);
      System.out.println(new JsonObject().put("peer", "lab").put("mode", mode).put("kind", kind).put("via", via)
        .put("items", items).put("producers", producers).put("consumers", consumers).put("maxsize", maxsize)
        .put("batch", via.equals("bus") && mode.equals("throughput") ? batch : 1)
        .put("seconds", Math.round(seconds * 1000) / 1000.0).put("per_s", perSecond)
        .put("cpu_s", Math.round(cpu * 1000) / 1000.0).encode());
      return 0;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** One measured run on the single event loop; completes with its seconds. */
  private Future<Double> runOnce(Vertx vertx, AsyncQueue.Kind queueKind) {
    Promise<Double> seconds = Promise.promise();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      Future<Double> run = switch (mode + "/" + via) {
        case "throughput/local" -> localThroughput(vertx, queueKind);
        case "request-reply/local" -> localRequestReply(vertx, queueKind);
        case "throughput/bus" -> busThroughput(vertx);
        case "request-reply/bus" -> busRequestReply(vertx);
        default -> Future.failedFuture(new IllegalArgumentException("unknown --mode/--via " + mode + "/" + via));
      };
      run.onComplete(seconds);
    });
    return seconds.future();
  }

  private <T> List<List<T>> split(List<T> all) {
    List<List<T>> batches = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      List<T> batch = new ArrayList<>();
      for (int i = p; i < all.size(); i += producers) {
        batch.add(all.get(i));
      }
      batches.add(batch);
    }
    return batches;
  }

  @SuppressWarnings("unchecked")
  private static <T> AsyncQueue<T> queue(Vertx vertx, AsyncQueue.Kind kind, int capacity) {
    return switch (kind) {
      case FIFO -> AsyncQueue.fifo(vertx, capacity);
      case LIFO -> AsyncQueue.lifo(vertx, capacity);
      // Equal priorities come out in insertion order: the queue's own sequence breaks ties.
      case PRIORITY -> (AsyncQueue<T>) AsyncQueue.<Prioritized>byPriority(vertx, capacity, Prioritized::priority);
    };
  }

  private List<List<Object>> producerShares;

  /**
   * Each producer's items, made once per process like the peer's, so every run moves the same objects: by the
   * measured run they sit in the old generation and no young collection copies a million of them again.
   */
  private List<List<Object>> producerShares(AsyncQueue.Kind queueKind) {
    if (producerShares == null) {
      producerShares = split(makeItems(queueKind));
    }
    return producerShares;
  }

  private List<Object> makeItems(AsyncQueue.Kind queueKind) {
    List<Object> all = new ArrayList<>(items);
    Random random = new Random(42);
    for (int i = 0; i < items; i++) {
      all.add(queueKind == AsyncQueue.Kind.PRIORITY ? new Prioritized(random.nextInt(10), i) : Integer.valueOf(i));
    }
    return all;
  }

  private Future<Double> localThroughput(Vertx vertx, AsyncQueue.Kind queueKind) {
    List<List<Object>> batches = producerShares(queueKind);
    AtomicLong consumed = new AtomicLong();
    long start = System.nanoTime();
    AsyncQueue<Object> queue = queue(vertx, queueKind, maxsize);
    for (int c = 0; c < consumers; c++) {
      consume(queue, consumed);
    }
    List<Future<Void>> producing = new ArrayList<>();
    for (List<Object> batch : batches) {
      Promise<Void> done = Promise.promise();
      produce(queue, batch, 0, done);
      producing.add(done.future());
    }
    return Future.all(producing).compose(v -> queue.join(WAIT)).map(v -> {
      double seconds = (System.nanoTime() - start) / 1e9;
      if (consumed.get() != items) {
        throw new IllegalStateException("consumed " + consumed.get() + " of " + items);
      }
      for (int c = 0; c < consumers; c++) {
        queue.offer(STOP); // ends the consumers
      }
      return seconds;
    });
  }

  private static final Object STOP = new Object();

  /** Puts without waiting while there is room, and waits on put() only when the queue is full. */
  private static void produce(AsyncQueue<Object> queue, List<Object> batch, int from, Promise<Void> done) {
    int next = from;
    while (next < batch.size() && queue.offer(batch.get(next))) {
      next++;
    }
    if (next == batch.size()) {
      done.complete();
      return;
    }
    int waiting = next;
    queue.put(batch.get(waiting), WAIT).onComplete(put -> {
      if (put.failed()) {
        done.fail(put.cause());
      } else {
        produce(queue, batch, waiting + 1, done);
      }
    });
  }

  /** Takes without waiting while there are items, and waits on take() only when the queue is empty. */
  private static void consume(AsyncQueue<Object> queue, AtomicLong consumed) {
    for (Object item = queue.poll(); item != null; item = queue.poll()) {
      if (item == STOP) {
        queue.taskDone();
        return;
      }
      consumed.incrementAndGet();
      queue.taskDone();
    }
    queue.take(WAIT).onSuccess(item -> {
      if (item == STOP) {
        queue.taskDone();
        return;
      }
      consumed.incrementAndGet();
      queue.taskDone();
      consume(queue, consumed);
    });
  }

  /** A request of request-reply mode: a number and the promise its server completes. */
  private record Request(int priority, int number, Promise<Integer> reply) {
  }

  private Future<Double> localRequestReply(Vertx vertx, AsyncQueue.Kind queueKind) {
    AsyncQueue<Request> queue = switch (queueKind) {
      case FIFO -> AsyncQueue.fifo(vertx, maxsize);
      case LIFO -> AsyncQueue.lifo(vertx, maxsize);
      case PRIORITY -> AsyncQueue.byPriority(vertx, maxsize, Request::priority);
    };
    long start = System.nanoTime();
    for (int s = 0; s < consumers; s++) {
      serve(vertx, queue);
    }
    List<Future<Void>> clients = new ArrayList<>();
    int first = 0;
    for (int p = 0; p < producers; p++) {
      int count = items / producers + (p < items % producers ? 1 : 0);
      Promise<Void> done = Promise.promise();
      ask(queue, new Random(42 + first), first, first + count, done);
      clients.add(done.future());
      first += count;
    }
    return Future.all(clients).map(v -> {
      double seconds = (System.nanoTime() - start) / 1e9;
      for (int s = 0; s < consumers; s++) {
        queue.offer(new Request(-1, -1, null)); // ends the servers
      }
      return seconds;
    });
  }

  private static void ask(AsyncQueue<Request> queue, Random random, int number, int end, Promise<Void> done) {
    if (number == end) {
      done.complete();
      return;
    }
    Promise<Integer> reply = Promise.promise();
    queue.put(new Request(random.nextInt(10), number, reply), WAIT)
      .compose(v -> reply.future())
      .onComplete(answer -> {
        if (answer.failed() || answer.result() != number) {
          done.tryFail(answer.failed() ? answer.cause() : new IllegalStateException("wrong reply to " + number));
        } else {
          ask(queue, random, number + 1, end, done);
        }
      });
  }

  /**
   * A server: takes requests and answers each. The answer wakes its client as a new task on the loop, as
   * asyncio's {@code future.set_result} schedules the waiting task; completing the promise in place would
   * run the client's next request on the server's stack, one level deeper per round trip.
   */
  private static void serve(Vertx vertx, AsyncQueue<Request> queue) {
    queue.take(WAIT).onSuccess(request -> {
      queue.taskDone();
      if (request.reply() == null) {
        return;
      }
      vertx.runOnContext(v -> request.reply().complete(request.number()));
      serve(vertx, queue);
    });
  }

  private Future<Double> busThroughput(Vertx vertx) {
    String name = "bench-" + System.nanoTime();
    return vertx.deployVerticle(new WorkQueueBroker()).compose(id -> {
      WorkQueueClient setup = new WorkQueueClient(vertx, name);
      return setup.create(kind, maxsize).compose(created -> {
        List<List<Object>> batches = producerShares(AsyncQueue.Kind.FIFO);
        AtomicLong consumed = new AtomicLong();
        long start = System.nanoTime();
        for (int c = 0; c < consumers; c++) {
          busConsume(new WorkQueueClient(vertx, name), consumed);
        }
        List<Future<Void>> producing = new ArrayList<>();
        for (List<Object> mine : batches) {
          Promise<Void> done = Promise.promise();
          busProduce(new WorkQueueClient(vertx, name), mine, 0, done);
          producing.add(done.future());
        }
        return Future.all(producing).compose(v -> setup.join(WAIT)).map(v -> (System.nanoTime() - start) / 1e9)
          .eventually(() -> vertx.undeploy(id));
      });
    });
  }

  /** Sends the batches one after another; a callback per batch, not a chain of compose() as deep as the batches. */
  private void busProduce(WorkQueueClient client, List<Object> mine, int from, Promise<Void> done) {
    if (from >= mine.size()) {
      done.complete();
      return;
    }
    int to = Math.min(mine.size(), from + batch);
    client.putAll(new JsonArray(new ArrayList<>(mine.subList(from, to))), WAIT).onComplete(put -> {
      if (put.failed()) {
        done.fail(put.cause());
      } else {
        busProduce(client, mine, to, done);
      }
    });
  }

  private void busConsume(WorkQueueClient client, AtomicLong consumed) {
    client.takeUpTo(batch, WAIT).onSuccess(taken -> {
      consumed.addAndGet(taken.size());
      client.done(taken.size()).onSuccess(v -> busConsume(client, consumed));
    });
  }

  private Future<Double> busRequestReply(Vertx vertx) {
    String address = "bench.reply." + System.nanoTime();
    List<io.vertx.core.eventbus.MessageConsumer<Integer>> servers = new ArrayList<>();
    for (int s = 0; s < consumers; s++) {
      servers.add(vertx.eventBus().<Integer>consumer(address, message -> message.reply(message.body())));
    }
    return Future.all(servers.stream().map(io.vertx.core.eventbus.MessageConsumer::completion).toList()).compose(ready -> {
      long start = System.nanoTime();
      List<Future<Void>> clients = new ArrayList<>();
      int first = 0;
      for (int p = 0; p < producers; p++) {
        int count = items / producers + (p < items % producers ? 1 : 0);
        clients.add(busAsk(vertx, address, first, first + count));
        first += count;
      }
      return Future.all(clients).map(v -> (System.nanoTime() - start) / 1e9)
        .eventually(() -> Future.all(servers.stream().map(io.vertx.core.eventbus.MessageConsumer::unregister).toList()));
    });
  }

  private static Future<Void> busAsk(Vertx vertx, String address, int number, int end) {
    Promise<Void> done = Promise.promise();
    busAskNext(vertx, address, number, end, done);
    return done.future();
  }

  private static void busAskNext(Vertx vertx, String address, int number, int end, Promise<Void> done) {
    if (number == end) {
      done.complete();
      return;
    }
    vertx.eventBus().<Integer>request(address, number).onComplete(reply -> {
      if (reply.failed() || reply.result().body() != number) {
        done.tryFail(reply.failed() ? reply.cause() : new IllegalStateException("wrong reply to " + number));
      } else {
        busAskNext(vertx, address, number + 1, end, done);
      }
    });
  }
}
