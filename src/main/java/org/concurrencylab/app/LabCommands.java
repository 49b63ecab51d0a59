package org.concurrencylab.app;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.cli.DemoCommand;
import org.concurrencylab.spi.ServiceModule;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;

/** The jar's command line: {@code demo}, {@code bench <workload>}, and the commands every service adds. */
final class LabCommands {

  private LabCommands() {
  }

  @Command(name = "java -jar concurrency-lab.jar", mixinStandardHelpOptions = true,
    description = {
      "Without a command, starts the lab: every service of LAB_SERVICES, until Ctrl-C or SIGTERM.",
      "  Vert.x flags: -cluster, -cluster-host H, -cluster-public-host H, -conf <json|file>, -options <json|file>.",
      "With a command, runs it and exits:"},
    footer = {"", "Settings: conf/application.json, overridden by LAB_<KEY> environment variables and -conf."})
  static final class Root implements Runnable {
    @Override
    public void run() {
      CommandLine.usage(this, System.out);
    }
  }

  @Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Load clients that measure a running server (this lab's or a Python peer).")
  static final class Bench implements Runnable {
    @Override
    public void run() {
      CommandLine.usage(this, System.out);
    }
  }

  static CommandLine create(ServiceCatalog catalog) {
    JsonObject config = commandConfig();
    CommandLine root = new CommandLine(new Root());
    root.addSubcommand("help", new CommandLine.HelpCommand());
    root.addSubcommand(new DemoCommand(
      catalog.modules().stream().flatMap(module -> module.demos().stream()).toList(), config, System.out));
    CommandLine bench = new CommandLine(new Bench());
    for (ServiceModule module : catalog.modules()) {
      module.commands().forEach(root::addSubcommand);
      module.benchCommands().forEach(bench::addSubcommand);
    }
    root.addSubcommand(bench);
    return root;
  }

  /** Commands see the same settings as the lab (defaults and LAB_* variables); a bad one is ignored here. */
  private static JsonObject commandConfig() {
    try {
      return LabConfig.resolve(LabConfig.defaults(), System.getenv(), null);
    } catch (ConfigException e) {
      return LabConfig.resolve(LabConfig.defaults(), Map.of(), null);
    }
  }

}
