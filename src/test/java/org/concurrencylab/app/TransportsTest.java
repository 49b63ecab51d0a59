package org.concurrencylab.app;

import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.LabProcess;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LAB_TRANSPORT: Netty's native event loops (the book's uvloop) next to NIO, and a fallback that says why. */
class TransportsTest {

  private static final Duration START = Duration.ofSeconds(60);
  private static final String READY = "Stop with Ctrl-C or SIGTERM.";

  @TempDir
  Path dir;

  private LabProcess start(String transport, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(Map.of("LAB_SERVICES", "http", "LAB_HTTP_INSTANCES", "1",
      "LAB_HTTP_PORT", String.valueOf(Ports.free()), "LAB_TRANSPORT", transport));
    env.putAll(extraEnv);
    return LabProcess.start(dir, env);
  }

  @Test
  void epollAndIoUringRunTheLabAndTheStartTableSaysWhichRuns() {
    try (LabProcess epoll = start("epoll", Map.of()); LabProcess ioUring = start("io_uring", Map.of())) {
      epoll.awaitStdout(READY, START);
      ioUring.awaitStdout(READY, START);

      assertThat(epoll.stdout()).anyMatch(line -> line.contains("(standalone, transport epoll)"));
      String url = epoll.stdout().stream().filter(line -> line.contains("http://")).findFirst().orElseThrow()
        .replaceAll(".*(http://\\S+).*", "$1");
      assertThat(Http.get(url + "/health").status()).isEqualTo(200);
      // io_uring needs a kernel that allows it; where one refuses, the lab says so and runs on NIO.
      if (ioUring.stdout().stream().noneMatch(line -> line.contains("transport io_uring"))) {
        ioUring.awaitStderr("transport io_uring is unavailable here (", Duration.ofSeconds(10));
        assertThat(ioUring.stdout()).anyMatch(line -> line.contains("transport nio"));
      }
    }
  }

  @Test
  void aTransportThatCannotLoadFallsBackToNioAndSaysWhy() {
    try (LabProcess lab = start("epoll", Map.of("JAVA_TOOL_OPTIONS", "-Dio.netty.transport.noNative=true"))) {
      lab.awaitStdout(READY, START);

      assertThat(lab.stdout()).anyMatch(line -> line.contains("(standalone, transport nio)"));
      lab.awaitStderr("transport epoll is unavailable here (Native transport "
        + "was explicit disabled with -Dio.netty.transport.noNative=true); using nio", Duration.ofSeconds(10));
    }
  }

  @Test
  void anUnknownTransportStopsStartUpNamingTheSetting() {
    try (LabProcess lab = start("uvloop", Map.of())) {
      assertThat(lab.awaitExit(START)).isEqualTo(2);
      assertThat(lab.stderr()).contains("error: LAB_TRANSPORT=uvloop: unknown transport (known: nio, epoll, io_uring)");
    }
  }

  @Test
  void namesMapToVertxTransports() {
    assertThat(Transports.named("nio")).isSameAs(Transport.NIO);
    assertThat(Transports.named("EPOLL")).isSameAs(Transport.EPOLL);
    assertThat(Transports.named("io-uring")).isSameAs(Transport.IO_URING);
    assertThat(Transports.choose(new JsonObject().put("transport", "nio"))).isSameAs(Transport.NIO);
    assertThatThrownBy(() -> Transports.named("kqueue")).isInstanceOf(ConfigException.class)
      .hasMessageContaining("LAB_TRANSPORT=kqueue");
  }
}
