package org.concurrencylab.echo;

import org.concurrencylab.cli.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench echo}: drives any echo server (this lab's two, or a Python peer) with {@link EchoLoadClient}
 * and prints round trips per second, the latency percentiles and one JSON line.
 */
@Command(name = "echo", mixinStandardHelpOptions = true,
  description = "Closed-loop TCP echo load: each connection sends a message and waits for its whole echo.")
public final class EchoBenchCommand implements Callable<Integer> {

  @Option(names = "--host", description = "Server address (default: ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", description = "Server port (default: ${DEFAULT-VALUE}, the lab's echo).")
  int port = 8000;

  @Option(names = "--connections", description = "Concurrent connections (default: ${DEFAULT-VALUE}).")
  int connections = 10;

  @Option(names = "--size", description = "Bytes per message (default: ${DEFAULT-VALUE}).")
  int size = 1024;

  @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
  double duration = 10;

  @Option(names = "--warmup", description = "Seconds of load before measuring (default: ${DEFAULT-VALUE}).")
  double warmup = 2;

  @Option(names = "--threads", description = "Client threads, each a selector loop over its share of the connections (default: cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  private final PrintStream out;

  public EchoBenchCommand() {
    this(System.out);
  }

  EchoBenchCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (connections < 1 || size < 1 || duration <= 0 || warmup < 0 || threads < 1) {
      System.err.println("error: --connections, --size, --threads and --duration must be positive, --warmup not negative");
      return 2;
    }
    ProgressBar progress = new ProgressBar(out, System.console() != null, 1_000);
    EchoLoadClient load = new EchoLoadClient(host, port, connections, size, threads, seconds(warmup), seconds(duration));
    long started = System.nanoTime();
    EchoLoadClient.Result result;
    try {
      result = load.run(() -> {
        double elapsed = (System.nanoTime() - started) / 1e9;
        progress.update(load.roundTrips(), 0, load.roundTrips() / Math.max(1e-3, elapsed),
          elapsed < warmup ? "warming up" : String.format(Locale.ROOT, "%.0f/%.0f s", elapsed - warmup, duration));
      });
    } catch (IOException e) {
      System.err.println("error: echo bench against " + host + ":" + port + " failed: " + e.getMessage());
      return 1;
    } finally {
      progress.finish();
    }
    print(result);
    return result.errors() == 0 ? 0 : 1;
  }

  private void print(EchoLoadClient.Result result) {
    out.printf(Locale.ROOT, "echo bench: %s:%d, %d connections, %d-byte messages, %.1f s measured%n",
      result.host(), result.port(), result.connections(), result.size(), result.seconds());
    out.printf(Locale.ROOT, "  %-16s %12d%n", "round trips", result.roundTrips());
    out.printf(Locale.ROOT, "  %-16s %12.1f%n", "round trips/s", result.perSecond());
    out.printf(Locale.ROOT, "  %-16s %12.1f%n", "MB/s each way", result.megabytesPerSecond());
    out.printf(Locale.ROOT, "  %-16s %12.3f ms%n", "latency p50", result.latencies().percentileMillis(50));
    out.printf(Locale.ROOT, "  %-16s %12.3f ms%n", "latency p99", result.latencies().percentileMillis(99));
    out.printf(Locale.ROOT, "  %-16s %12.1f us%n", "client CPU / trip", result.cpuMicrosPerRoundTrip());
    out.printf(Locale.ROOT, "  %-16s %12d%n", "errors", result.errors());
    out.println(result.json().encode());
    out.flush();
  }

  private static Duration seconds(double seconds) {
    return Duration.ofNanos((long) (seconds * 1e9));
  }
}
