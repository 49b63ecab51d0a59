package org.concurrencylab.cli;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.spi.Demo;
import org.concurrencylab.spi.DemoContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code demo <name> [--option value ...]}: runs one of the book's stories on a Vert.x instance of its own
 * and prints its narrative with the measured times; {@code demo --list} lists them.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
  description = "Run one of the book's demos and print what it measures (demo --list lists them).")
public final class DemoCommand implements Callable<Integer> {

  /** A demo that runs longer than this is stopped and reported as failed. */
  static final long TIMEOUT_MINUTES = 30;

  @Option(names = "--list", description = "List the demos.")
  boolean list;

  @Parameters(index = "0", arity = "0..1", description = "The demo to run.")
  String name;

  @Unmatched
  List<String> rest = new ArrayList<>();

  private final List<Demo> demos;
  private final JsonObject config;
  private final PrintStream out;

  public DemoCommand(List<Demo> demos, JsonObject config, PrintStream out) {
    this.demos = demos;
    this.config = config;
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (list || name == null) {
      out.println("Demos (java -jar concurrency-lab.jar demo <name>):");
      demos.forEach(demo -> out.printf("  %-18s %s%n", demo.name(), demo.summary()));
      return name == null && !list ? 2 : 0;
    }
    Demo demo = demos.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    if (demo == null) {
      System.err.println("error: no demo named '" + name + "' (demo --list lists them)");
      return 2;
    }
    Map<String, String> options;
    try {
      options = options(rest);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject result = demo.run(new DemoContext(vertx, out, options, config))
        .toCompletionStage().toCompletableFuture().get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
      out.println(result.encode());
      return 0;
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      System.err.println("error: demo " + name + " failed: " + (cause.getMessage() == null ? cause : cause.getMessage()));
      return cause instanceof IllegalArgumentException ? 2 : 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** {@code --n 10000 --fast} becomes {@code {n: "10000", fast: "true"}}. */
  static Map<String, String> options(List<String> args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "' (options look like --n 1000)");
      }
      String key = arg.substring(2);
      int eq = key.indexOf('=');
      if (eq > 0) {
        options.put(key.substring(0, eq), key.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        options.put(key, args.get(++i));
      } else {
        options.put(key, "true");
      }
    }
    return options;
  }
}
