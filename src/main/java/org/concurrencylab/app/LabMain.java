package org.concurrencylab.app;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.List;

/**
 * The jar's entry point. {@code java -jar concurrency-lab.jar [vert.x flags]} starts the lab;
 * {@code java -jar concurrency-lab.jar <command> ...} runs one of its commands ({@code demo}, {@code bench},
 * {@code seed}, ...) and exits.
 */
public final class LabMain {

  /** Exit code for a configuration the lab cannot start with (bad value, unknown service, port in use). */
  public static final int EXIT_CONFIG = 2;

  private LabMain() {
  }

  public static void main(String[] args) {
    ServiceCatalog catalog = ServiceCatalog.all();
    CommandLine commands = LabCommands.create(catalog);
    if (args.length > 0 && isCommand(commands, args[0])) {
      System.exit(commands.execute(args));
    }
    int code = launch(args, catalog);
    if (code != 0) {
      System.exit(code);
    }
  }

  private static boolean isCommand(CommandLine commands, String first) {
    return commands.getSubcommands().containsKey(first)
      || List.of("help", "-h", "--help", "-help").contains(first);
  }

  /**
   * Resolves and checks the configuration, then starts Vert.x and deploys the lab. Returns 0 once the lab
   * runs (Vert.x's threads keep the JVM alive), or an exit code when it could not start.
   */
  static int launch(String[] args, ServiceCatalog catalog) {
    JsonObject config;
    try {
      config = LabConfig.resolve(LabConfig.defaults(), System.getenv(), confArgument(args));
      catalog.routed(catalog.select(config.getString("services")), config.getString("http_routes"));
      Transports.named(config.getString("transport"));
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      return EXIT_CONFIG;
    }
    Shutdown.exitCleanlyOnSignals();
    return new LabApplication(withConf(args, config), catalog, config).launch();
  }

  /** The value of {@code -conf} / {@code --conf}, parsed, or null when absent. */
  private static JsonObject confArgument(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if ((arg.equalsIgnoreCase("-conf") || arg.equalsIgnoreCase("--conf")) && i + 1 < args.length) {
        return LabConfig.readConf(args[i + 1]);
      }
      if (arg.toLowerCase(java.util.Locale.ROOT).startsWith("-conf=")
        || arg.toLowerCase(java.util.Locale.ROOT).startsWith("--conf=")) {
        return LabConfig.readConf(arg.substring(arg.indexOf('=') + 1));
      }
    }
    return null;
  }

  /** The arguments with {@code -conf} replaced by the resolved configuration, which the main verticle reads. */
  private static String[] withConf(String[] args, JsonObject config) {
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i].toLowerCase(java.util.Locale.ROOT);
      if (arg.equals("-conf") || arg.equals("--conf")) {
        i++;
      } else if (!arg.startsWith("-conf=") && !arg.startsWith("--conf=")) {
        out.add(args[i]);
      }
    }
    out.addAll(Arrays.asList("-conf", config.encode()));
    return out.toArray(String[]::new);
  }
}
