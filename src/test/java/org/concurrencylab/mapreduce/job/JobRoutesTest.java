package org.concurrencylab.mapreduce.job;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /jobs/wordcount} and {@code GET /jobs/{id}} on a lab node that runs mapreduce and http. */
class JobRoutesTest {

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static String base;
  private static WordCountFiles ngrams;

  @BeforeAll
  static void start() {
    ngrams = WordCountFiles.generate(dir, "ngrams.tsv", 100_000, 7);
    int port = Ports.free();
    vertx = Vertx.vertx();
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "mapreduce,http").put("http_port", port).put("http_instances", 1)
      .put("mapreduce_roots", dir.toString()).put("mapreduce_workers", 2).put("node_name", "node-h"))),
      Duration.ofSeconds(60));
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  @Test
  void aJobStartedOverHttpReportsItsProgressThenItsResult() {
    Http.Response started = Http.post(base + "/jobs/wordcount",
      new JsonObject().put("path", ngrams.file().toString()).put("partitionLines", 4_000).encode());
    assertThat(started.status()).isEqualTo(202);
    String id = started.json().getString("id");
    assertThat(started.headers().firstValue("location")).hasValue("/jobs/" + id);
    assertThat(started.json().getJsonObject("progress").getInteger("partitions")).isGreaterThan(10);

    AtomicReference<JsonObject> job = new AtomicReference<>();
    Await.until(() -> {
      Http.Response response = Http.get(base + "/jobs/" + id);
      assertThat(response.status()).isEqualTo(200);
      job.set(response.json());
      return !"running".equals(job.get().getString("state"));
    }, Duration.ofSeconds(60), "the job to end");
    assertThat(job.get().getString("state")).isEqualTo("done");
    assertThat(job.get().getString("node")).isEqualTo("node-h");
    ngrams.assertMatches(job.get().getJsonObject("result"));
    assertThat(job.get().getJsonObject("progress").getLong("lines")).isEqualTo(100_000);
  }

  @Test
  void badRequestsGetJsonErrorsWithFourHundredStatuses() throws IOException {
    assertError(Http.post(base + "/jobs/wordcount", new JsonObject().put("path", dir.resolve("nope.tsv").toString()).encode()),
      404, "no such file");
    assertError(Http.post(base + "/jobs/wordcount", new JsonObject().put("path", dir.toString()).encode()),
      422, "directory");
    Path empty = Files.createFile(dir.resolve("empty.tsv"));
    assertError(Http.post(base + "/jobs/wordcount", new JsonObject().put("path", empty.toString()).encode()),
      422, "empty");
    assertError(Http.post(base + "/jobs/wordcount", new JsonObject().put("path", "/etc/passwd").encode()),
      400, "outside");
    assertError(Http.post(base + "/jobs/wordcount", "not json"), 400, "JSON object");
    assertError(Http.post(base + "/jobs/wordcount", "[1, 2]"), 400, "JSON object");
    assertError(Http.post(base + "/jobs/wordcount", ""), 400, "JSON object");
    assertError(Http.post(base + "/jobs/wordcount", new JsonObject().put("path", ngrams.file().toString())
      .put("top", "ten").encode()), 400, "top");
    Http.Response huge = Http.post(base + "/jobs/wordcount", new JsonObject().put("path", "x".repeat(20_000)).encode());
    assertThat(huge.status()).isEqualTo(413);
    assertError(Http.get(base + "/jobs/0f0f0f0f-0000-0000-0000-000000000000"), 404, "no job");
    assertError(Http.get(base + "/jobs/..%2F..%2Fetc"), 404, "no job");
  }

  private static void assertError(Http.Response response, int status, String message) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().getString("message")).contains(message);
  }
}
