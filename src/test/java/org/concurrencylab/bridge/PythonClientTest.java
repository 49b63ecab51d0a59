package org.concurrencylab.bridge;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.app.ServiceCatalog;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code clients/python} run with the system's {@code /usr/bin/python3} (standard library only)
 * against a lab node, through the TCP bridge, as a user would run them.
 */
class PythonClientTest {

  static final String PYTHON = "/usr/bin/python3";
  static final Path EXAMPLES = Path.of("clients", "python", "examples");

  private static Vertx vertx;
  /** The word count's input folder (its allowed root), when the lab has the mapreduce service. */
  private static Path data;
  private static int bridgePort;
  private static int stubPort;

  @BeforeAll
  static void start() {
    Assumptions.assumeTrue(new File(PYTHON).canExecute(), PYTHON + " is not installed");
    vertx = Vertx.vertx();
    bridgePort = Ports.free();
    stubPort = Ports.free();
    JsonObject config = new JsonObject()
      .put("services", "bridge,chat,fetch,stub").put("host", "127.0.0.1").put("bridge_port", bridgePort)
      .put("chat_port", Ports.free()).put("stub_port", stubPort);
    if (withMapReduce()) {
      try {
        data = Files.createTempDirectory("wordcount");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      config.put("services", config.getString("services") + ",mapreduce").put("mapreduce_roots", data.toString());
    }
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config)));
  }

  private static boolean withMapReduce() {
    return ServiceCatalog.all().names().contains("mapreduce");
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      Await.result(vertx.close());
    }
    if (data != null) {
      try (var files = Files.list(data)) {
        for (Path file : files.toList()) {
          Files.delete(file);
        }
        Files.delete(data);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }

  @Test
  void wordcountStartsAJobPrintsItsProgressAndItsResult() throws IOException {
    Assumptions.assumeTrue(withMapReduce(), "the lab has no mapreduce service yet");
    // 2,000 lines of the Google Books 1-gram format; Aardvark's match counts add up to 3 x 1,000.
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 2_000; i++) {
      lines.append(i % 2 == 0 ? "Aardvark" : "word" + (i % 50)).append('\t').append(1900 + i % 100).append("\t3\t1\n");
    }
    Path file = Files.writeString(data.resolve("1gram.tsv"), lines);

    Run run = python("wordcount.py", file.toString(), "--word", "Aardvark", "--partition-lines", "200", "--timeout", "50");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    // The last progress line: every partition done (how many the file makes is the service's business).
    assertThat(run.stdout()).as(run.toString()).anyMatch(line -> line.matches(" *(\\d+)/\\1 partitions, 2,000 lines.*\\[done]"));
    JsonObject result = new JsonObject(run.stdout().get(run.stdout().size() - 1));
    assertThat(result.getString("state")).isEqualTo("done");
    assertThat(result.getLong("lines")).isEqualTo(2_000);
    assertThat(result.getString("word")).isEqualTo("Aardvark");
    assertThat(result.getLong("count")).isEqualTo(3_000);
    assertThat(result.getInteger("progress_messages")).isPositive();
  }

  @Test
  void chatSaysALineInTheRoomAndHearsItBack() {
    Run run = python("chat.py", "--user", "snake", "--say", "hello from python", "--until", "snake: hello from python",
      "--timeout", "20");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.stdout()).as(run.toString()).anyMatch(line -> line.contains("snake: hello from python"));
  }

  @Test
  void chatIsRefusedANameThatIsNotValid() {
    Run run = python("chat.py", "--user", "n".repeat(33), "--say", "x", "--timeout", "10"); // the limit is 32

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
    assertThat(run.stderr()).as(run.toString()).anyMatch(line -> line.startsWith("refused:"));
  }

  @Test
  void fetchRunsManyRequestsOnTheLabAndStreamsEachResult() {
    Run run = python("fetch.py", "http://127.0.0.1:" + stubPort + "/", "--count", "20", "--limit", "5");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonObject totals = new JsonObject(run.stdout().get(run.stdout().size() - 1));
    assertThat(totals.getInteger("count")).isEqualTo(20);
    assertThat(totals.getInteger("ok")).isEqualTo(20);
    assertThat(totals.getInteger("streamed")).isEqualTo(20);
  }

  static Run python(String example, String... args) {
    List<String> command = new ArrayList<>(List.of(PYTHON, EXAMPLES.resolve(example).toString(),
      "--port", String.valueOf(bridgePort)));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("python-out", ".txt");
      Path err = Files.createTempFile("python-err", ".txt");
      Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(example + " did not finish within 60 s: " + Files.readString(err));
      }
      Run run = new Run(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readAllLines(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  record Run(int exitCode, List<String> stdout, List<String> stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n" + String.join("\n", stderr);
    }
  }
}
