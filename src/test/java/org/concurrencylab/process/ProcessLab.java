package org.concurrencylab.process;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Ports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/** A lab node running the process service and the HTTP server, with test children copied into its working directory. */
final class ProcessLab implements AutoCloseable {

  final Vertx vertx;
  final int httpPort;
  final Path workDir;
  private final String deployment;

  private ProcessLab(Vertx vertx, int httpPort, Path workDir, String deployment) {
    this.vertx = vertx;
    this.httpPort = httpPort;
    this.workDir = workDir;
    this.deployment = deployment;
  }

  /** Starts a node with {@code settings} over the defaults (data_dir, ports and services are set here). */
  static ProcessLab start(Path dataDir, JsonObject settings) {
    Vertx vertx = Vertx.vertx();
    int port = Ports.free();
    JsonObject config = new JsonObject()
      .put("services", "process,http")
      .put("http_port", port)
      .put("http_instances", 1)
      .put("data_dir", dataDir.toString())
      .mergeIn(settings);
    String id = Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config)),
      Duration.ofSeconds(30));
    ProcessLab lab = new ProcessLab(vertx, port, dataDir.resolve("processes"), id);
    for (String child : new String[] {"hello_both.py", "stubborn.py", "flood.py"}) {
      lab.copyResource("/process/" + child, child);
    }
    lab.copyResource("/org/concurrencylab/process/demo/echo_prompt.py", "echo_prompt.py");
    return lab;
  }

  void copyResource(String resource, String name) {
    try (InputStream in = ProcessLab.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing");
      }
      Files.copy(in, workDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  @Override
  public void close() {
    Await.result(vertx.undeploy(deployment), Duration.ofSeconds(15));
    Await.result(vertx.close(), Duration.ofSeconds(15));
  }
}
