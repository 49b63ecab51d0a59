package org.concurrencylab.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.cli.ClusterJoin;
import org.concurrencylab.cli.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bench cluster}: joins the lab's cluster as a member of its own, waits for a node that runs the
 * {@code cluster} service, and loads its responder over the clustered event bus with {@link BusLoadClient}.
 * Prints the rate, the latency percentiles and one JSON line.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
  description = {"Event-bus load across the cluster: joins it and drives the cluster service's responder on",
    "another node (start one with LAB_SERVICES=cluster ... -cluster)."})
public final class ClusterBenchCommand implements Callable<Integer> {

  @Option(names = "--mode", description = "request (round trips, closed loop) or send (one-way messages); "
    + "default: ${DEFAULT-VALUE}.")
  String mode = "request";

  @Option(names = "--outstanding", description = "Requests in flight (request), or messages not yet written "
    + "to the socket (send); default: ${DEFAULT-VALUE}.")
  int outstanding = 1;

  @Option(names = "--body", description = "json (what the lab's services send) or buffer (the same sequence "
    + "number and padding as bytes, no JSON to encode and decode); default: ${DEFAULT-VALUE}.")
  String body = "json";

  @Option(names = "--size", description = "Characters of padding in each body (default: ${DEFAULT-VALUE}).")
  int size = 16;

  @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double duration = 10;

  @Option(names = "--warmup", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
  double warmup = 3;

  @Option(names = "--node", description = "Load the responder of this node only (cluster.ping.<node>); "
    + "default: any node that runs the cluster service.")
  String node;

  @Option(names = "--cluster-config", description = "Hazelcast XML of the cluster to join (default: "
    + "LAB_CLUSTER_CONFIG, else ./conf/cluster.xml, else the jar's copy).")
  String clusterConfig = System.getenv().getOrDefault("LAB_CLUSTER_CONFIG", "");

  @Option(names = "--cluster-host", description = "Address this member's event bus binds and announces "
    + "(default: the one Hazelcast binds).")
  String clusterHost;

  @Option(names = "--event-loops", description = "Event-loop threads of this member (default: ${DEFAULT-VALUE}: "
    + "the load runs on one, and a message the bus's connection receives on that same thread is handled without "
    + "a hand-off between threads).")
  int eventLoops = 1;

  @Option(names = "--transport", description = "nio or epoll: the event-loop implementation of this member; use "
    + "the one the lab's nodes run (default: LAB_TRANSPORT, else ${DEFAULT-VALUE}).")
  String transport = System.getenv().getOrDefault("LAB_TRANSPORT", "nio");

  @Option(names = "--join-timeout", description = "Seconds to wait for the cluster and a responder "
    + "(default: ${DEFAULT-VALUE}).")
  double joinTimeout = 60;

  private final PrintStream out;

  public ClusterBenchCommand() {
    this(System.out);
  }

  ClusterBenchCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    BusLoadClient.Mode chosen;
    try {
      chosen = BusLoadClient.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("error: --mode must be request or send, not " + mode);
      return 2;
    }
    BusLoadClient.Body bodyType;
    try {
      bodyType = BusLoadClient.Body.valueOf(body.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      System.err.println("error: --body must be json or buffer, not " + body);
      return 2;
    }
    if (!transport.equals("nio") && !transport.equals("epoll")) {
      System.err.println("error: --transport must be nio or epoll, not " + transport);
      return 2;
    }
    if (outstanding < 1 || size < 0 || duration <= 0 || warmup < 0 || joinTimeout <= 0 || eventLoops < 1) {
      System.err.println("error: --outstanding, --duration, --event-loops and --join-timeout must be positive, "
        + "--size and --warmup not negative");
      return 2;
    }
    String address = chosen == BusLoadClient.Mode.SEND ? ClusterAddresses.SINK
      : node == null ? ClusterAddresses.PING : ClusterAddresses.ping(node);
    Vertx vertx;
    try {
      vertx = ClusterJoin.join(clusterConfig, clusterHost, new VertxOptions().setEventLoopPoolSize(eventLoops)
        .setPreferNativeTransport(transport.equals("epoll")))
        .toCompletionStage().toCompletableFuture().get((long) joinTimeout, TimeUnit.SECONDS);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    } catch (ExecutionException | TimeoutException e) {
      System.err.println("error: could not join the cluster: "
        + (e.getCause() == null ? e : e.getCause().getMessage()));
      return 1;
    }
    try {
      if (!awaitResponder(vertx, address)) {
        System.err.println("error: no node answered " + address + " within " + joinTimeout
          + " s: start one with LAB_SERVICES=cluster java -jar target/concurrency-lab.jar -cluster");
        return 1;
      }
      return measure(vertx, new BusLoadClient(vertx, chosen, bodyType, address, outstanding, size,
        BusLoadClient.seconds(warmup), BusLoadClient.seconds(duration)));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * The first requests across a fresh cluster can find no handler yet (the subscriptions are still spreading):
   * asks again until one answers.
   */
  private boolean awaitResponder(Vertx vertx, String address) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (joinTimeout * 1e9);
    while (System.nanoTime() < deadline) {
      try {
        Bus.request(vertx, address, new JsonObject(), 2_000)
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        return true;
      } catch (ExecutionException | TimeoutException e) {
        Thread.sleep(200);
      }
    }
    return false;
  }

  private int measure(Vertx vertx, BusLoadClient load) throws InterruptedException {
    ProgressBar progress = new ProgressBar(out, System.console() != null, 1_000);
    long started = System.nanoTime();
    long timer = vertx.setPeriodic(1_000, id -> {
      double elapsed = (System.nanoTime() - started) / 1e9;
      progress.update(load.progress(), 0, load.progress() / Math.max(1e-3, elapsed - warmup),
        elapsed < warmup ? "warming up" : String.format(Locale.ROOT, "%.0f/%.0f s", elapsed - warmup, duration));
    });
    BusLoadClient.Result result;
    try {
      result = load.run().toCompletionStage().toCompletableFuture()
        .get((long) (warmup + duration) + BusLoadClient.REQUEST_TIMEOUT_MS / 1000 + 30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      System.err.println("error: cluster bench failed: " + e.getCause().getMessage());
      return 1;
    } catch (TimeoutException e) {
      System.err.println("error: cluster bench did not finish in time");
      return 1;
    } finally {
      vertx.cancelTimer(timer);
      progress.finish();
    }
    print(result);
    return result.errors() == 0 ? 0 : 1;
  }

  private void print(BusLoadClient.Result result) {
    boolean request = result.mode() == BusLoadClient.Mode.REQUEST;
    out.printf(Locale.ROOT, "cluster bench: %s to %s on node %s, %d outstanding, %d-char padding, %.1f s measured%n",
      request ? "requests" : "one-way messages", result.address(), result.responder(), result.outstanding(),
      result.size(), result.seconds());
    out.printf(Locale.ROOT, "  %-16s %12d%n", request ? "round trips" : "received", result.messages());
    out.printf(Locale.ROOT, "  %-16s %12.1f%n", request ? "round trips/s" : "messages/s", result.perSecond());
    if (request) {
      out.printf(Locale.ROOT, "  %-16s %12.3f ms%n", "latency p50", result.latencies().percentileMillis(50));
      out.printf(Locale.ROOT, "  %-16s %12.3f ms%n", "latency p99", result.latencies().percentileMillis(99));
    }
    out.printf(Locale.ROOT, "  %-16s %12d%n", "errors", result.errors());
    out.println(result.json().encode());
    out.flush();
  }
}
