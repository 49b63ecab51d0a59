package org.concurrencylab.echo;

import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.LabProcess;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.concurrencylab.echo.EchoLab.readUntilClosed;
import static org.concurrencylab.echo.EchoLab.connect;
import static org.concurrencylab.echo.EchoLab.roundTrip;

/** Starting and stopping the echo servers: ports in use, and a stop that lets go of clients and ports. */
class EchoLifecycleTest {

  @TempDir
  Path dir;

  @Test
  void stoppingClosesTheClientsAndReleasesBothPorts() throws IOException {
    int tcpPort = Ports.free();
    int selectorPort = Ports.free();
    JsonObject ports = new JsonObject().put("echo_port", tcpPort).put("selector_echo_port", selectorPort);
    byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
    try (EchoLab lab = EchoLab.start(ports);
         Socket tcpClient = connect(tcpPort);
         Socket selectorClient = connect(selectorPort)) {
      assertThat(roundTrip(tcpClient, hello)).isEqualTo(hello);
      assertThat(roundTrip(selectorClient, hello)).isEqualTo(hello);

      lab.undeploy();

      assertThat(readUntilClosed(tcpClient)).as("the Vert.x echo closed its client").isEmpty();
      assertThat(readUntilClosed(selectorClient)).as("the selector echo closed its client").isEmpty();
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("selector-echo-loop"));
      for (int port : new int[] {tcpPort, selectorPort}) {
        try (ServerSocket rebound = new ServerSocket()) {
          rebound.setReuseAddress(true);
          rebound.bind(new InetSocketAddress("127.0.0.1", port)); // throws if the port were still held
        }
      }
    }
    // And the service starts again on the same ports.
    try (EchoLab again = EchoLab.start(ports)) {
      assertThat(roundTrip(tcpPort, hello)).isEqualTo(hello);
      assertThat(roundTrip(selectorPort, hello)).isEqualTo(hello);
    }
  }

  @ParameterizedTest
  @CsvSource({"LAB_ECHO_PORT", "LAB_SELECTOR_ECHO_PORT"})
  void aPortInUseStopsStartUpNamingItWithExitCodeTwo(String variable) throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         LabProcess lab = LabProcess.start(dir, environment(variable, taken.getLocalPort()))) {
      assertThat(lab.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
      assertThat(lab.stderr()).contains("error: " + variable + ": cannot listen on 127.0.0.1:" + taken.getLocalPort()
        + " (address already in use)");
    }
  }

  /** Only the echo service, on random ports except {@code variable}, which names the taken one. */
  private static Map<String, String> environment(String variable, int takenPort) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("LAB_SERVICES", "echo",
      "LAB_ECHO_PORT", "0", "LAB_SELECTOR_ECHO_PORT", "0"));
    env.put(variable, String.valueOf(takenPort));
    return env;
  }
}
