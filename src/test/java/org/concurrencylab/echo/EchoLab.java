package org.concurrencylab.echo;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.bus.ServiceStatus;
import org.concurrencylab.testsupport.Await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node running only the echo service, as the lab deploys it ({@link LabVerticle} with {@code services=echo}),
 * and plain blocking-socket helpers: the tests talk to the servers with a client that is not Vert.x.
 */
final class EchoLab implements AutoCloseable {

  /** The two servers, by their endpoint names in {@code echo.status}. */
  static final String TCP = "tcp";
  static final String SELECTOR = "selector";

  private final Vertx vertx;
  private final String deployment;

  private EchoLab(Vertx vertx, String deployment) {
    this.vertx = vertx;
    this.deployment = deployment;
  }

  /** Starts the echo service on a Vert.x instance of its own; {@code config} adds to the defaults (ports 0). */
  static EchoLab start(JsonObject config) {
    Vertx vertx = Vertx.vertx();
    JsonObject conf = new JsonObject().put("services", "echo").put("echo_port", 0).put("selector_echo_port", 0)
      .mergeIn(config);
    String id = Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(conf)));
    return new EchoLab(vertx, id);
  }

  static EchoLab start() {
    return start(new JsonObject());
  }

  Vertx vertx() {
    return vertx;
  }

  /** The port of a server ({@link #TCP} or {@link #SELECTOR}), read from {@code echo.status} as a user would. */
  int port(String server) {
    JsonObject status = Await.result(Bus.request(vertx, ServiceStatus.address("echo"), new JsonObject()));
    return status.getJsonArray("endpoints").stream().map(JsonObject.class::cast)
      .filter(endpoint -> endpoint.getString("name").equals(server))
      .map(endpoint -> URI.create(endpoint.getString("url")).getPort())
      .findFirst().orElseThrow();
  }

  /** {@code echo.stats} of one server. */
  JsonObject stats(String server) {
    JsonObject stats = Await.result(Bus.request(vertx, "echo.stats", new JsonObject()));
    return stats.getJsonObject(server);
  }

  long stat(String server, String name) {
    return stats(server).getLong(name);
  }

  /** Undeploys the service (its stop() runs) and keeps Vert.x running. */
  void undeploy() {
    Await.result(vertx.undeploy(deployment), Duration.ofSeconds(15));
  }

  @Override
  public void close() {
    Await.result(vertx.close(), Duration.ofSeconds(15));
  }

  // ---- blocking-socket helpers ----

  static Socket connect(int port) {
    try {
      Socket socket = new Socket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(20_000);
      socket.setTcpNoDelay(true);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code payload} on a fresh connection while reading its echo (a second thread writes, so a payload
   * larger than the sockets' buffers cannot deadlock), and returns what came back.
   */
  static byte[] roundTrip(int port, byte[] payload) {
    try (Socket socket = connect(port)) {
      return roundTrip(socket, payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] roundTrip(Socket socket, byte[] payload) {
    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
      try {
        socket.getOutputStream().write(payload);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      byte[] echo = readExactly(socket.getInputStream(), payload.length);
      writing.get(20, TimeUnit.SECONDS);
      return echo;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("writing the payload failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /** Reads {@code length} bytes, or fewer when the server closes first. */
  static byte[] readExactly(InputStream in, int length) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length);
    byte[] chunk = new byte[64 * 1024];
    while (out.size() < length) {
      int n = in.read(chunk, 0, Math.min(chunk.length, length - out.size()));
      if (n < 0) {
        break;
      }
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Reads until the server closes the connection (end of stream, or a reset) and returns what came before;
   * fails when the server keeps it open past the read timeout.
   */
  static byte[] readUntilClosed(Socket socket) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      int b;
      while ((b = socket.getInputStream().read()) >= 0) {
        out.write(b);
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection", e);
    } catch (IOException reset) {
      // a reset closes it too
    }
    return out.toByteArray();
  }
}
