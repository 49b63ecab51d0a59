package org.concurrencylab.loop;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The echo on our own event loop (14.13): many clients at once, big messages, a clean stop. */
class LoopEchoTest {

  private static Vertx vertx;
  private static LoopEchoVerticle echo;
  private static int port;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    echo = new LoopEchoVerticle();
    Await.result(vertx.deployVerticle(echo,
      new DeploymentOptions().setConfig(new JsonObject().put("loop_echo_port", 0))));
    port = URI.create(echo.url()).getPort();
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void twoHundredClientsAtOnceEachGetTheirOwnBytesBack() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(50);
    try {
      List<Future<String>> echoed = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String message = ("client " + i + " says hello\n").repeat(20);
        echoed.add(clients.submit(() -> roundTrip(message)));
      }
      for (int i = 0; i < echoed.size(); i++) {
        assertThat(echoed.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(("client " + i + " says hello\n").repeat(20));
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(echo.stats().getLong("connections_total")).isGreaterThanOrEqualTo(200);
  }

  @Test
  void aMessageLargerThanEveryBufferComesBackWhole() throws Exception {
    String big = "0123456789abcdef".repeat(256 * 1024); // 4 MiB: many reads, writes that must wait
    assertThat(roundTrip(big)).isEqualTo(big);
  }

  /** Sends {@code message}, half-closes, and reads until the server closes. */
  private static String roundTrip(String message) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      Thread writer = new Thread(() -> {
        try {
          out.write(bytes);
          socket.shutdownOutput();
        } catch (IOException ignored) {
          // the read side reports the failure
        }
      });
      writer.start();
      byte[] back = in.readAllBytes();
      return new String(back, StandardCharsets.UTF_8);
    }
  }

  @Test
  void undeployingClosesThePortAndTheLoopsThread() {
    Vertx own = Vertx.vertx();
    LoopEchoVerticle second = new LoopEchoVerticle();
    String id = Await.result(own.deployVerticle(second,
      new DeploymentOptions().setConfig(new JsonObject().put("loop_echo_port", 0))));
    int secondPort = URI.create(second.url()).getPort();
    Await.result(own.undeploy(id));
    assertThatThrownBy(() -> new Socket("127.0.0.1", secondPort).close()).isInstanceOf(ConnectException.class);
    Await.result(own.close());
  }
}
