package org.concurrencylab.process.demo;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.process.ProcessAddresses;
import org.concurrencylab.process.ProcessVerticle;
import org.concurrencylab.spi.DemoContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The process service as a demo uses it: deployed on the demo's Vert.x, reached over the bus. */
final class DemoService {

  private DemoService() {
  }

  /**
   * Deploys the service with the lab's settings, plus the commands the demo needs added to the allow-list
   * (the demo says so), and {@code maxRunning} children at once (0: the setting).
   */
  static Future<String> deploy(DemoContext ctx, List<String> extraCommands, int maxRunning) {
    JsonObject config = ctx.config().copy();
    Set<String> allowed = new LinkedHashSet<>(List.of(config.getString("process_allow", "").split(",")));
    allowed.remove("");
    for (String command : extraCommands) {
      if (allowed.add(command)) {
        ctx.say("(this demo adds %s to process_allow for itself)", command);
      }
    }
    config.put("process_allow", String.join(",", allowed));
    if (maxRunning > 0) {
      config.put("process_max", maxRunning);
    }
    return ctx.vertx().deployVerticle(new ProcessVerticle("demo"), new DeploymentOptions().setConfig(config));
  }

  /** Runs a command and waits for its result. */
  static Future<JsonObject> run(DemoContext ctx, JsonObject request) {
    long timeout = request.getLong("timeoutMs", 60_000L) + 30_000;
    return Bus.request(ctx.vertx(), ProcessAddresses.RUN, request.copy().put("wait", true), timeout);
  }

  /** The working directory of the service's children: {@code <data_dir>/processes}. */
  static Path workDir(DemoContext ctx) {
    return Path.of(ctx.config().getString("data_dir"), "processes").toAbsolutePath().normalize();
  }

  /** Copies one of the demos' resources into the working directory, so a child can name it relatively. */
  static void copyResource(DemoContext ctx, String name) {
    try (InputStream in = DemoService.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      Files.createDirectories(workDir(ctx));
      Files.copy(in, workDir(ctx).resolve(name), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double millisSince(long startNanos) {
    return Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
  }
}
