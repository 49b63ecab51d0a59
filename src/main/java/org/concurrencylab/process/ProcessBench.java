package org.concurrencylab.process;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.cli.ProgressBar;
import org.concurrencylab.measure.Latencies;
import org.concurrencylab.measure.ProcessCpu;
import org.concurrencylab.measure.ThreadCpu;
import org.concurrencylab.measure.TimerLateness;
import org.concurrencylab.spi.EventLoopTransports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench process}: the workload of the Python peer {@code spawn_bench.py}, run against the process
 * service in this JVM. {@code --mode spawn} asks {@code process.run} for {@code --command} {@code --n} times,
 * {@code --concurrency} at a time (the service runs as many at once), and waits for each exit;
 * {@code --mode pipe} reads {@code Hello there!!} x {@code --lines} from one child ({@code cat} of a file of
 * those lines: no shell, so no {@code yes | head}). Meanwhile a 1 ms timer on the same event loop as the
 * service (the node runs one event loop here, as asyncio runs one) records how late it fires, after a 250 ms
 * idle baseline. {@code --direct} starts the children from plain threads instead, without the service: the JVM's
 * own spawn rate, the ceiling of the service's. Besides the peer's fields, the JSON line holds the CPU time
 * ({@code cpu_threads_ms}) and the scheduler's view ({@code sched_per_op}) of this JVM's threads by role over
 * the timed part. Prints a table and one JSON line with the peer's field names.
 */
@Command(name = "process", mixinStandardHelpOptions = true,
  description = "Spawn rate, pipe throughput and event-loop lateness of the process service (vs spawn_bench.py).")
public final class ProcessBench implements Callable<Integer> {

  private static final long TICK_MS = 1;
  private static final long IDLE_MS = 250;
  /**
   * Spawns before the timed part. The service's path is reached a few times per spawn, so its methods cross
   * C2's thresholds only after thousands of spawns: after 200 (the old default) the JIT compilers still took
   * about half a core during the timed part, after 1,500 to 2,000 with the ticker running, a third of that.
   */
  static final int DEFAULT_WARMUP_SPAWNS = 2_000;
  static final int DEFAULT_WARMUP_KILOLINES = 200;

  @Option(names = "--mode", description = "spawn or pipe (default ${DEFAULT-VALUE})")
  String mode = "spawn";

  @Option(names = "--n", description = "spawns in all (default ${DEFAULT-VALUE})")
  int n = 1_000;

  @Option(names = "--concurrency", description = "children at once (default: cores)")
  int concurrency = Runtime.getRuntime().availableProcessors();

  @Option(names = "--command", description = "the program to spawn, no arguments (default ${DEFAULT-VALUE})")
  String command = "/bin/true";

  @Option(names = "--capture", description = "pipe and read stdout and stderr instead of discarding them")
  boolean capture;

  @Option(names = "--lines", description = "pipe mode: lines the child writes (default ${DEFAULT-VALUE})")
  int lines = 1_000_000;

  @Option(names = "--warmup", description = "untimed work first, with the same 1 ms ticker running, so the JIT has "
    + "compiled what the timed part runs, as in a server that has been up a while: spawns (default "
    + DEFAULT_WARMUP_SPAWNS + "), or in pipe mode thousands of lines (default " + DEFAULT_WARMUP_KILOLINES + ")")
  Integer warmup;

  @Option(names = "--nice", description = "nice value of the threads that start children, and so of the children "
    + "(process_nice; default ${DEFAULT-VALUE}, the service's default)")
  int nice = ProcessVerticle.DEFAULT_NICE;

  @Option(names = "--transport", description = "the event loop's transport, as the lab's LAB_TRANSPORT: nio or epoll "
    + "(default ${DEFAULT-VALUE}, the lab's default)")
  String transport = "nio";

  @Option(names = "--direct", description = "spawn mode: start the children from --concurrency plain threads "
    + "(ProcessBuilder.start and waitFor, at --nice) instead of asking the service: the JVM's own spawn rate on "
    + "this machine, with no bus, no service and no event loop in the path (the ticker still runs on the loop)")
  boolean direct;

  private ExecutorService directThreads;

  @Option(names = "--data-dir", description = "where the children's working directory goes (default: a temp dir)")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (!mode.equals("spawn") && !mode.equals("pipe")) {
      System.err.println("error: --mode must be spawn or pipe");
      return 2;
    }
    if (!transport.equals("nio") && !transport.equals("epoll")) {
      System.err.println("error: --transport must be nio or epoll");
      return 2;
    }
    if (n < 1 || concurrency < 1 || lines < 0) {
      System.err.println("error: need --n >= 1, --concurrency >= 1 and --lines >= 0");
      return 2;
    }
    if (warmup == null) {
      warmup = mode.equals("spawn") ? DEFAULT_WARMUP_SPAWNS : DEFAULT_WARMUP_KILOLINES;
    }
    if (warmup < 0) {
      System.err.println("error: need --warmup >= 0");
      return 2;
    }
    Path data = dataDir != null ? dataDir : Files.createTempDirectory("lab-bench-process");
    String name = Path.of(command).getFileName().toString();
    JsonObject config = new JsonObject()
      .put("data_dir", data.toString())
      .put("process_allow", String.join(",", name, "cat"))
      .put("process_max", concurrency)
      .put("process_nice", nice)
      .put("process_output_max", 1L << 20);
    // One event loop: the service, this client and the ticker share it, as everything shares asyncio's loop.
    Transport chosen = EventLoopTransports.orNio(transport, warning -> System.err.println("warning: " + warning));
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1)).withTransport(chosen).build();
    try {
      if (mode.equals("pipe")) {
        writeLines(data.resolve("processes").resolve("hello.txt"), lines);
        writeLines(data.resolve("processes").resolve("warmup.txt"), warmup * 1_000);
      }
      JsonObject result = measure(vertx, config).toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
      printTable(result);
      System.out.println(result.encode());
      return 0;
    } finally {
      if (directThreads != null) {
        directThreads.shutdown();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private Future<JsonObject> measure(Vertx vertx, JsonObject config) {
    TimerLateness[] tickers = new TimerLateness[2]; // idle, busy
    return vertx.deployVerticle(new ProcessVerticle("bench"), new DeploymentOptions().setConfig(config))
      .compose(id -> warmup == 0 ? Future.succeededFuture(id) : onLoop(vertx, () -> {
        // The warm-up runs the same ticker as the timed part, so that the JIT compiles what the timed part runs
        // (the ticker's path and the spawn path together), not only the spawn path; its ticks are dropped.
        TimerLateness warmupTicker = TimerLateness.start(vertx, TICK_MS);
        Future<?> work = mode.equals("spawn") ? spawn(vertx, warmup, null) : readPipe(vertx, "warmup.txt");
        return work.map(v -> {
          warmupTicker.stop();
          return id;
        });
      }))
      .compose(id -> onLoop(vertx, () -> {
        tickers[0] = TimerLateness.start(vertx, TICK_MS);
        return vertx.timer(IDLE_MS).map(v -> {
          tickers[0].stop();
          return id;
        });
      }))
      .compose(id -> {
        ThreadCpu threadsBefore = ThreadCpu.now(); // before the ticker starts: reading /proc takes the loop a while
        SchedulerStats schedBefore = SchedulerStats.now();
        TimerLateness busyTicker = TimerLateness.start(vertx, TICK_MS);
        tickers[1] = busyTicker;
        long cpuStart = ProcessCpu.nanos();
        long start = System.nanoTime();
        Future<JsonObject> work = mode.equals("spawn") ? spawn(vertx, n, ProgressBar.forStdout())
          : readPipe(vertx, "hello.txt");
        return work.map(result -> {
          double seconds = (System.nanoTime() - start) / 1e9;
          busyTicker.stop();
          result.put("seconds", round(seconds));
          if (mode.equals("spawn")) {
            result.put("per_s", Math.round(n / seconds));
          } else {
            result.put("mb_per_s", round(result.getLong("bytes") / seconds / 1e6));
          }
          return result.put("cpu_s", round((ProcessCpu.nanos() - cpuStart) / 1e9))
            .put("cpu_threads_ms", ThreadCpu.now().since(threadsBefore))
            .put("sched_per_op", SchedulerStats.now().since(schedBefore, mode.equals("spawn") ? n : 1));
        });
      })
      .map(result -> {
        Latencies idle = tickers[0].lateness();
        Latencies busy = tickers[1].lateness();
        return new JsonObject()
          .put("peer", "lab")
          .put("mode", mode)
          .put("loop", "vertx-" + (vertx.isNativeTransportEnabled() ? transport : "nio"))
          .put("launch_mechanism", System.getProperty(SpawnMechanism.PROPERTY, "default"))
          .put("nice", nice)
          .mergeIn(result)
          .put("ticks", busy.count())
          .put("tick_p50_ms", round(busy.percentileMillis(50)))
          .put("tick_p99_ms", round(busy.percentileMillis(99)))
          .put("tick_max_ms", round(busy.maxMillis()))
          .put("tick_idle_p50_ms", round(idle.percentileMillis(50)))
          .put("tick_idle_p99_ms", round(idle.percentileMillis(99)));
      });
  }

  /** Runs {@code action} on the (single) event loop, where the service and the ticker live. */
  private static <T> Future<T> onLoop(Vertx vertx, java.util.function.Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  private Future<JsonObject> spawn(Vertx vertx, int count, ProgressBar progress) {
    return direct ? spawnDirect(vertx, count) : spawnMany(vertx, count, progress);
  }

  /**
   * The JVM's own spawn rate, the ceiling of {@link #spawnMany}: {@code count} children of {@link #command},
   * {@link #concurrency} at a time, each started and waited for by a thread of its own (at {@link #nice}).
   */
  private Future<JsonObject> spawnDirect(Vertx vertx, int count) {
    if (directThreads == null) { // one pool for the warm-up and the timed part: its threads' CPU is then counted
      directThreads = Executors.newFixedThreadPool(concurrency, new SpawnerThreads("bench-spawn-", nice));
    }
    ExecutorService threads = directThreads;
    Map<String, Integer> exitCodes = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> all = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      all.add(CompletableFuture.runAsync(() -> {
        String code;
        try {
          Process child = new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
          code = String.valueOf(child.waitFor());
        } catch (IOException e) {
          code = "error";
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          code = "error";
        }
        exitCodes.merge(code, 1, Integer::sum);
      }, threads));
    }
    return Future.fromCompletionStage(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)),
        vertx.getOrCreateContext())
      .map(v -> new JsonObject().put("n", count).put("concurrency", concurrency).put("command", command)
        .put("capture", false).put("direct", true).put("exit_codes", new JsonObject(new TreeMap<>(exitCodes))));
  }

  /** Spawns {@code n} children, {@code concurrency} at a time; {@code progress} may be null (warm-up). */
  private Future<JsonObject> spawnMany(Vertx vertx, int n, ProgressBar progress) {
    JsonObject request = new JsonObject().put("command", command).put("wait", true).put("discardOutput", !capture);
    Map<String, Integer> exitCodes = new TreeMap<>();
    Promise<JsonObject> done = Promise.promise();
    int[] sent = {0};
    int[] finished = {0};
    long start = System.nanoTime();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (sent[0] >= n) {
        return;
      }
      sent[0]++;
      Bus.<JsonObject>request(vertx, ProcessAddresses.RUN, request, 60_000).onComplete(reply -> {
        String code = reply.succeeded() ? String.valueOf(reply.result().getValue("exitCode")) : "error";
        exitCodes.merge(code, 1, Integer::sum);
        finished[0]++;
        if (progress != null && (finished[0] % 100 == 0 || finished[0] == n)) {
          progress.update(finished[0], n, finished[0] / ((System.nanoTime() - start) / 1e9), "");
        }
        if (finished[0] == n) {
          if (progress != null) {
            progress.finish();
          }
          done.complete(new JsonObject().put("n", n).put("concurrency", concurrency).put("command", command)
            .put("capture", capture).put("exit_codes", new JsonObject(new TreeMap<>(exitCodes))));
        } else {
          next[0].run();
        }
      });
    };
    vertx.runOnContext(v -> {
      for (int i = 0; i < concurrency; i++) {
        next[0].run();
      }
    });
    return done.future();
  }

  private Future<JsonObject> readPipe(Vertx vertx, String file) {
    JsonObject request = new JsonObject().put("command", "cat").put("args", new JsonArray().add(file))
      .put("wait", true);
    return Bus.<JsonObject>request(vertx, ProcessAddresses.RUN, request, 600_000).map(result -> new JsonObject()
      .put("lines", result.getLong("stdoutLines"))
      .put("writer", "cat")
      .put("bytes", result.getLong("stdoutBytes"))
      .put("exit_code", result.getInteger("exitCode")));
  }

  private static void writeLines(Path file, int count) throws IOException {
    Files.createDirectories(file.getParent());
    try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < count; i++) {
        writer.write("Hello there!!\n");
      }
    }
  }

  private void printTable(JsonObject r) {
    System.out.printf(Locale.ROOT, "%-8s %-12s %10s %10s %10s %10s %10s%n", "mode", "loop",
      mode.equals("spawn") ? "spawns/s" : "MB/s", "seconds", "tick p50", "tick p99", "tick max");
    System.out.printf(Locale.ROOT, "%-8s %-12s %10s %10.3f %8.3fms %8.3fms %8.3fms%n", mode, r.getString("loop"),
      mode.equals("spawn") ? r.getValue("per_s") : r.getValue("mb_per_s"), r.getDouble("seconds"),
      r.getDouble("tick_p50_ms"), r.getDouble("tick_p99_ms"), r.getDouble("tick_max_ms"));
    System.out.println("CPU ms by thread: " + r.getJsonObject("cpu_threads_ms").encode());
    System.out.println("Scheduler, per " + (mode.equals("spawn") ? "spawn" : "run") + " (run-queue wait ms, "
      + "voluntary and involuntary switches): " + r.getJsonObject("sched_per_op").encode());
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
