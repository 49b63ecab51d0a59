package org.concurrencylab.chat.client;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.cli.ProgressBar;
import org.concurrencylab.measure.Latencies;
import org.concurrencylab.measure.ProcessCpu;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench chat}: U users connect with the book's protocol, each sends M lines at R lines/s, and every user
 * checks it received every line. Prints deliveries/s, end-to-end latency, and one JSON line. Works against
 * this lab's chat server and the Python peer alike.
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
  description = "Chat fan-out load: U users send M lines each at R lines/s; every user must receive every line.")
public final class ChatBenchCommand implements Callable<Integer> {

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "8001", description = "Server port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--clients", defaultValue = "10", description = "Users U (default ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--messages", defaultValue = "100", description = "Lines M each user sends (default ${DEFAULT-VALUE}).")
  int messages;

  @Option(names = "--rate", defaultValue = "10",
    description = "Lines per second each user sends (default ${DEFAULT-VALUE}); 0 = closed loop, see --window.")
  double rate;

  @Option(names = "--window", defaultValue = "1",
    description = "With --rate 0: lines a user may have sent and not yet received back (default ${DEFAULT-VALUE}).")
  int window;

  @Option(names = "--size", defaultValue = "32", description = "Padding bytes per line (default ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--loops", defaultValue = "0", description = "Client selector threads (default 0 = one per core).")
  int loops;

  @Option(names = "--connect-concurrency", defaultValue = "64", description = "Connects in flight (default ${DEFAULT-VALUE}).")
  int connectConcurrency;

  @Option(names = "--timeout", defaultValue = "30",
    description = "Seconds without a delivery after which the missing lines count as lost (default ${DEFAULT-VALUE}).")
  int timeoutS;

  private final PrintStream out;

  public ChatBenchCommand() {
    this(System.out);
  }

  ChatBenchCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || messages < 1 || rate < 0 || window < 1) {
      System.err.println("error: --clients, --messages and --window must be positive, --rate at least 0");
      return 2;
    }
    int eventLoops = loops > 0 ? loops : Runtime.getRuntime().availableProcessors();
    String tag = UUID.randomUUID().toString().substring(0, 6);
    ChatLoad.Plan plan = new ChatLoad.Plan(host, port, clients, messages, rate, window, size, tag,
      Math.max(1, connectConcurrency / eventLoops));
    out.printf(Locale.ROOT, "chat bench: %d users x %d lines %s -> %s:%d%n", clients, messages,
      rate > 0 ? "at " + rate + "/s each" : "closed loop, window " + window, host, port);

    List<ChatLoad> loads = new ArrayList<>();
    CountDownLatch finished = new CountDownLatch(eventLoops);
    for (int loop = 0; loop < eventLoops; loop++) {
      List<Integer> indexes = new ArrayList<>();
      for (int i = loop; i < clients; i += eventLoops) {
        indexes.add(i);
      }
      loads.add(new ChatLoad(plan, indexes, finished));
    }
    try {
      long connectStart = System.nanoTime();
      for (int loop = 0; loop < eventLoops; loop++) {
        Thread thread = new Thread(loads.get(loop), "chat-load-" + loop);
        thread.setDaemon(true);
        thread.start();
      }
      long welcomeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!plan.allWelcomed.await(100, TimeUnit.MILLISECONDS)
        && plan.neverWelcomed.get() == 0 && System.nanoTime() < welcomeDeadline) {
        // waiting for the last welcomes; a user that cannot join ends the wait (it would wait in vain)
      }
      if (plan.allWelcomed.getCount() > 0) {
        System.err.printf("error: only %d of %d users were welcomed (%d could not connect or were closed first)%n",
          plan.welcomed.get(), clients, plan.neverWelcomed.get());
        return 1;
      }
      double connectS = (System.nanoTime() - connectStart) / 1e9;
      out.printf(Locale.ROOT, "  connected    %d users in %.2f s%n", clients, connectS);

      long cpuAtStart = ProcessCpu.nanos();
      long start = System.nanoTime();
      loads.forEach(load -> load.go(start));
      ProgressBar bar = out == System.out ? ProgressBar.forStdout() : new ProgressBar(out, false, 1_000);
      long expected = plan.expected();
      long lastCount = -1;
      long lastProgress = System.nanoTime();
      while (plan.delivered.get() < expected) {
        Thread.sleep(100);
        long count = plan.delivered.get();
        double elapsed = (System.nanoTime() - start) / 1e9;
        bar.update(count, expected, count / Math.max(elapsed, 1e-9), "deliveries");
        if (count != lastCount) {
          lastCount = count;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(timeoutS)) {
          break;
        }
      }
      double cpuSeconds = (ProcessCpu.nanos() - cpuAtStart) / 1e9;
      bar.finish();
      plan.stopping = true;
      loads.forEach(ChatLoad::wakeup);
      if (!finished.await(10, TimeUnit.SECONDS)) {
        System.err.println("warning: the load threads did not stop within 10 s");
      }

      Latencies all = new Latencies();
      loads.forEach(load -> all.add(load.latencies()));
      long delivered = plan.delivered.get();
      long lost = expected - delivered;
      long first = plan.firstSendNanos.get();
      double seconds = Math.max(1e-9, (plan.lastDeliveryNanos.get() - first) / 1e9);
      double perSecond = delivered / seconds;
      JsonObject latency = all.summary();
      out.printf(Locale.ROOT, "  sent         %d lines%n", plan.sent.get());
      out.printf(Locale.ROOT, "  delivered    %d of %d (lost %d, out of order %d, users dropped %d)%n",
        delivered, expected, lost, plan.outOfOrder.get(), plan.disconnected.get());
      out.printf(Locale.ROOT, "  seconds      %.3f (first send to last delivery)%n", seconds);
      out.printf(Locale.ROOT, "  deliveries/s %,.0f%n", perSecond);
      out.printf(Locale.ROOT, "  client CPU   %.2f s (%.2f us per delivery, all of its threads)%n", cpuSeconds,
        delivered > 0 ? cpuSeconds * 1e6 / delivered : 0);
      out.printf(Locale.ROOT, "  latency ms   p50 %.3f  p99 %.3f  max %.3f%n", latency.getDouble("p50_ms"),
        latency.getDouble("p99_ms"), latency.getDouble("max_ms"));
      out.println(new JsonObject()
        .put("bench", "chat").put("host", host).put("port", port)
        .put("clients", clients).put("messages", messages).put("rate", rate).put("window", window).put("size", size)
        .put("loops", eventLoops).put("connect_s", round(connectS))
        .put("sent", plan.sent.get()).put("expected", expected).put("delivered", delivered).put("lost", lost)
        .put("out_of_order", plan.outOfOrder.get()).put("dropped_users", plan.disconnected.get())
        .put("seconds", round(seconds)).put("deliveries_per_s", Math.round(perSecond))
        .put("p50_ms", latency.getDouble("p50_ms")).put("p99_ms", latency.getDouble("p99_ms"))
        .put("client_cpu_s", round(cpuSeconds))
        .put("client_cpu_us", delivered > 0 ? Math.round(cpuSeconds * 1e8 / delivered) / 100.0 : 0)
        .put("latency", latency)
        .encode());
      return lost == 0 && plan.outOfOrder.get() == 0 ? 0 : 1;
    } finally {
      plan.stopping = true;
      loads.forEach(ChatLoad::wakeup);
    }
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
