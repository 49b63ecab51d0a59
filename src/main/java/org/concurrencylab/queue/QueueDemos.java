package org.concurrencylab.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The chapter-12 demos: the supermarket checkout (12.1) and the endless bounded producer (12.2). */
final class QueueDemos {

  private record SimpleDemo(String name, String summary, Function<DemoContext, Future<JsonObject>> body) implements Demo {
    @Override
    public Future<JsonObject> run(DemoContext context) {
      return body.apply(context);
    }
  }

  /** The book's products and their checkout times in seconds. */
  private static final Map<String, Double> PRODUCTS = Map.of("beer", 2.0, "bananas", 0.5, "sausage", 0.2, "diapers", 0.2);
  private static final List<String> NAMES = List.of("beer", "bananas", "sausage", "diapers");
  private static final Duration WAIT = Duration.ofMinutes(5);

  private record Customer(int id, List<String> products) {
  }

  private QueueDemos() {
  }

  static List<Demo> all() {
    return List.of(
      new SimpleDemo("supermarket", "12.1: 10 customers, 3 cashiers taking them from a queue, then join()",
        QueueDemos::supermarket),
      new SimpleDemo("endless-producer", "12.2: a producer adds 0-4 customers a second to a Queue(5), 3 cashiers",
        QueueDemos::endlessProducer));
  }

  private static double scale(DemoContext context) {
    return Double.parseDouble(context.option("scale", "0.1"));
  }

  private static Customer customer(Random random, int id) {
    List<String> products = new ArrayList<>();
    int count = random.nextInt(10);
    for (int i = 0; i < count; i++) {
      products.add(NAMES.get(random.nextInt(NAMES.size())));
    }
    return new Customer(id, products);
  }

  /** A cashier: takes customers until {@code until} passes, ringing up each product in its (scaled) time. */
  private static void cashier(DemoContext context, AsyncQueue<Customer> queue, int cashier, double scale,
                              AtomicInteger served, long until) {
    if (System.nanoTime() > until) {
      return;
    }
    Duration wait = Duration.ofNanos(Math.max(1_000_000, until - System.nanoTime()));
    queue.take(wait).onSuccess(customer -> {
      context.say("Cashier %d checking out customer %d (%d products)", cashier, customer.id(), customer.products().size());
      long ms = Math.round(customer.products().stream().mapToDouble(PRODUCTS::get).sum() * 1000 * scale);
      context.vertx().timer(Math.max(1, ms)).onComplete(done -> {
        context.say("Cashier %d finished customer %d in %.2f s (scaled x%.2f)", cashier, customer.id(), ms / 1000.0, scale);
        served.incrementAndGet();
        queue.taskDone();
        cashier(context, queue, cashier, scale, served, until);
      });
    });
  }

  private static Future<JsonObject> supermarket(DemoContext context) {
    Vertx vertx = context.vertx();
    double scale = scale(context);
    Random random = new Random(context.intOption("seed", 42));
    AsyncQueue<Customer> queue = AsyncQueue.fifo(vertx, 0);
    JsonArray customers = new JsonArray();
    for (int id = 0; id < 10; id++) {
      Customer customer = customer(random, id);
      queue.offer(customer);
      customers.add(new JsonObject().put("id", id).put("products", new JsonArray(customer.products())));
    }
    context.say("10 customers in line, 3 cashiers; product times x%.2f (beer 2 s, bananas 0.5 s, sausage and diapers 0.2 s).", scale);
    AtomicInteger served = new AtomicInteger();
    long start = System.nanoTime();
    long until = start + WAIT.toNanos();
    for (int cashier = 0; cashier < 3; cashier++) {
      cashier(context, queue, cashier, scale, served, until);
    }
    return queue.join(WAIT).map(done -> {
      double seconds = (System.nanoTime() - start) / 1e9;
      context.say("join() returned: %d customers served in %.2f s", served.get(), seconds);
      return new JsonObject().put("customers", customers).put("served", served.get()).put("seconds", seconds);
    });
  }

  private static Future<JsonObject> endlessProducer(DemoContext context) {
    Vertx vertx = context.vertx();
    double scale = scale(context);
    int seconds = context.intOption("seconds", 3);
    Random random = new Random(context.intOption("seed", 42));
    AsyncQueue<Customer> queue = AsyncQueue.fifo(vertx, 5);
    AtomicInteger produced = new AtomicInteger();
    AtomicInteger served = new AtomicInteger();
    AtomicInteger waits = new AtomicInteger();
    long start = System.nanoTime();
    long until = start + seconds * 1_000_000_000L;
    context.say("A producer adds 0-4 customers every %.0f ms to a Queue(5) for %d s; 3 cashiers serve them.", 1000 * scale, seconds);
    for (int cashier = 0; cashier < 3; cashier++) {
      cashier(context, queue, cashier, scale, served, until);
    }
    return produce(context, queue, random, produced, waits, scale, until).map(done -> {
      context.say("stopped after %d s: %d customers arrived, %d served, %d still in line; the producer waited for room %d times",
        seconds, produced.get(), served.get(), queue.size(), waits.get());
      return new JsonObject().put("produced", produced.get()).put("served", served.get())
        .put("in_line", queue.size()).put("producer_waits", waits.get());
    });
  }

  private static Future<Void> produce(DemoContext context, AsyncQueue<Customer> queue, Random random,
                                      AtomicInteger produced, AtomicInteger waits, double scale, long until) {
    if (System.nanoTime() > until) {
      return Future.succeededFuture();
    }
    int arriving = random.nextInt(5);
    Future<Void> added = Future.succeededFuture();
    for (int i = 0; i < arriving; i++) {
      Customer customer = customer(random, produced.get() + i);
      added = added.compose(v -> {
        if (queue.offer(customer)) {
          return Future.succeededFuture();
        }
        waits.incrementAndGet();
        context.say("Queue full: the producer waits for room for customer %d", customer.id());
        return queue.put(customer, Duration.ofNanos(Math.max(1_000_000, until - System.nanoTime())));
      }).onSuccess(v -> produced.incrementAndGet());
    }
    return added.otherwiseEmpty()
      .compose(v -> context.vertx().timer(Math.max(1, Math.round(1000 * scale))))
      .compose(v -> produce(context, queue, random, produced, waits, scale, until));
  }
}
