package org.concurrencylab.mapreduce.job;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job on one node, over the bus: exact totals with either encoding, progress, the job's own address,
 * re-sending a partition nobody answered, and every kind of bad input.
 */
class WordCountJobTest {

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static WordCountFiles ngrams;

  @BeforeAll
  static void start() {
    ngrams = WordCountFiles.generate(dir, "ngrams.tsv", 150_000, 42);
    vertx = Vertx.vertx();
    WordCountService service = new WordCountService(vertx, "node-t");
    CoordinatorSettings settings = CoordinatorSettings.from(new JsonObject().put("mapreduce_roots", dir.toString()),
      "node-t");
    Await.result(service.deployWorkers(2, new JsonObject()));
    Await.result(service.deployCoordinator(settings, new JsonObject()));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static JsonObject run(JsonObject request) {
    return Await.result(Bus.request(vertx, WordCountAddresses.WORDCOUNT, request, 60_000), Duration.ofSeconds(90));
  }

  private static ReplyException refused(JsonObject request) {
    return (ReplyException) Await.failure(Bus.request(vertx, WordCountAddresses.WORDCOUNT, request, 60_000),
      Duration.ofSeconds(90));
  }

  @Test
  void bothEncodingsGiveTheTotalsOfExpectedJsonOverManyPartitions() {
    for (String encoding : List.of("buffer", "json")) {
      JsonObject result = run(new JsonObject().put("path", ngrams.file().toString()).put("partitionLines", 5_000)
        .put("encoding", encoding));
      ngrams.assertMatches(result);
      assertThat(result.getInteger("partitions")).isBetween(25, 35);
      assertThat(result.getString("encoding")).isEqualTo(encoding);
      assertThat(result.getJsonObject("workers").fieldNames()).containsExactlyInAnyOrder("node-t#0", "node-t#1");
      assertThat(result.getJsonObject("workers").stream().mapToInt(e -> (Integer) e.getValue()).sum())
        .isEqualTo(result.getInteger("partitions"));
    }
  }

  @Test
  void progressIsPublishedUntilTheJobIsDoneAndTheJobAnswersOnItsOwnAddress() {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(WordCountAddresses.PROGRESS, m -> events.add(m.body()));
    Await.result(consumer.completion());
    try {
      JsonObject started = Await.result(Bus.request(vertx, WordCountAddresses.START,
        new JsonObject().put("path", ngrams.file().toString()).put("partitionLines", 2_000).put("word", "après")
          .put("top", 3)));
      String id = started.getString("id");
      assertThat(started.getString("state")).isEqualTo("running");
      Await.until(() -> events.stream().anyMatch(e -> id.equals(e.getString("job")) && "done".equals(e.getString("state"))),
        Duration.ofSeconds(60), "a final progress event");

      List<JsonObject> mine = events.stream().filter(e -> id.equals(e.getString("job"))).toList();
      JsonObject last = mine.get(mine.size() - 1);
      assertThat(last.getInteger("partitionsDone")).isEqualTo(last.getInteger("partitions")).isGreaterThan(50);
      assertThat(last.getLong("lines")).isEqualTo(150_000);
      for (int i = 1; i < mine.size(); i++) {
        assertThat(mine.get(i).getInteger("partitionsDone")).isGreaterThanOrEqualTo(mine.get(i - 1).getInteger("partitionsDone"));
      }

      JsonObject job = Await.result(Bus.request(vertx, WordCountAddresses.job(id), new JsonObject()));
      assertThat(job.getString("state")).isEqualTo("done");
      assertThat(job.getJsonObject("result").getJsonObject("word").getLong("count")).isEqualTo(ngrams.expected("après"));
      assertThat(job.getJsonObject("result").getJsonArray("top")).hasSize(3);
    } finally {
      consumer.unregister();
    }
    Throwable unknown = Await.failure(Bus.request(vertx, WordCountAddresses.job("no-such-job"), new JsonObject(), 2_000),
      Duration.ofSeconds(5));
    assertThat(((ReplyException) unknown).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
  }

  @Test
  void aPartitionWhoseWorkerNeverAnswersIsSentAgainAndTheTotalsStayExact() {
    // A third "worker" that takes requests and never answers, for its first three.
    AtomicInteger swallowed = new AtomicInteger();
    MessageConsumer<JsonObject> silent = vertx.eventBus().consumer(WordCountAddresses.MAP);
    silent.handler(message -> {
      if (swallowed.incrementAndGet() >= 3) {
        silent.unregister();
      }
    });
    Await.result(silent.completion());
    JsonObject result = run(new JsonObject().put("path", ngrams.file().toString()).put("partitionLines", 5_000)
      .put("partitionTimeoutMs", 300));
    ngrams.assertMatches(result);
    assertThat(swallowed.get()).isEqualTo(3);
    // At least the three swallowed partitions; on a loaded machine a real worker can miss 300 ms too.
    assertThat(result.getInteger("retries")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void skippedLinesAreReportedWithTheirNumbersAndLeftOutOfTheTotals() throws IOException {
    Path file = dir.resolve("some-bad.tsv");
    Files.writeString(file, "Aardvark\t1822\t2\t1\nAardvark\t1823\tmany\t1\nAardvark\n\nAardvark\t1824\t5\t1\n");
    JsonObject result = run(new JsonObject().put("path", file.toString()));
    assertThat(result.getJsonObject("word").getLong("count")).isEqualTo(7);
    assertThat(result.getLong("lines")).isEqualTo(5);
    JsonObject skipped = result.getJsonObject("skipped");
    assertThat(skipped.getLong("lines")).isEqualTo(3);
    assertThat(skipped.getJsonArray("first").stream().map(l -> ((JsonObject) l).getLong("line")).toList())
      .containsExactly(2L, 3L, 4L);
    assertThat(skipped.getJsonArray("first").getJsonObject(0).getString("problem")).isEqualTo("BAD_COUNT");
  }

  @Test
  void badInputGetsAFailureCodeAndAMessageNamingTheProblem() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.tsv"));
    Path garbage = dir.resolve("garbage.txt");
    Files.writeString(garbage, "this is not\na 1-gram file\n");
    Path outside = Files.createTempFile("outside", ".tsv");
    try {
      assertRefused(new JsonObject().put("path", dir.resolve("missing.tsv").toString()), 404, "no such file");
      assertRefused(new JsonObject().put("path", dir.toString()), 422, "is a directory");
      assertRefused(new JsonObject().put("path", empty.toString()), 422, "is empty");
      assertRefused(new JsonObject().put("path", garbage.toString()), 422, "all 2 lines skipped");
      assertRefused(new JsonObject().put("path", outside.toString()), 400, "outside the directories");
      assertRefused(new JsonObject().put("path", dir.resolve("../../etc/passwd").toString()), 400, "outside");
      assertRefused(new JsonObject(), 400, "path");
      assertRefused(new JsonObject().put("path", ngrams.file().toString()).put("top", -1), 400, "top");
      assertRefused(new JsonObject().put("path", ngrams.file().toString()).put("partitionLines", 0), 400, "partitionLines");
      assertRefused(new JsonObject().put("path", ngrams.file().toString()).put("encoding", "xml"), 400, "encoding");
      assertRefused(new JsonObject().put("path", ngrams.file().toString()).put("word", 3), 400, "word");
    } finally {
      Files.delete(outside);
    }
  }

  private static void assertRefused(JsonObject request, int code, String message) {
    ReplyException failure = refused(request);
    assertThat(failure.failureCode()).as(request.encode()).isEqualTo(code);
    assertThat(failure.getMessage()).as(request.encode()).contains(message);
  }

  @Test
  void withoutAnyWorkerJobsFailWithUnavailableAndAThirdJobAtOnceIsTooMany() {
    Vertx lonely = Vertx.vertx(); // a coordinator and no map worker anywhere on its bus
    try {
      CoordinatorSettings settings = CoordinatorSettings.from(new JsonObject().put("mapreduce_roots", dir.toString()),
        "lonely");
      Await.result(new WordCountService(lonely, "lonely").deployCoordinator(settings, new JsonObject()));
      JsonObject request = new JsonObject().put("path", ngrams.file().toString());
      io.vertx.core.Future<JsonObject> first = Bus.request(lonely, WordCountAddresses.WORDCOUNT, request, 30_000);
      io.vertx.core.Future<JsonObject> second = Bus.request(lonely, WordCountAddresses.WORDCOUNT, request, 30_000);
      // Both are planned and retrying with back-off (about 1.5 s) when the third one comes.
      Await.until(() -> Await.result(Bus.<JsonObject>request(lonely, "mapreduce.status", new JsonObject()))
        .getJsonObject("stats").getInteger("jobsRunning") == 2, Duration.ofSeconds(10), "two running jobs");
      ReplyException third = (ReplyException) Await.failure(Bus.request(lonely, WordCountAddresses.START, request),
        Duration.ofSeconds(10));
      assertThat(third.failureCode()).isEqualTo(429);
      for (io.vertx.core.Future<JsonObject> job : List.of(first, second)) {
        ReplyException failure = (ReplyException) Await.failure(job, Duration.ofSeconds(30));
        assertThat(failure.failureCode()).isEqualTo(503);
        assertThat(failure.getMessage()).contains("after 5 attempt(s)");
      }
    } finally {
      Await.result(lonely.close());
    }
  }

  @Test
  void theStatusCountsTheWorkersAndTheirWork() {
    JsonObject status = Await.result(Bus.request(vertx, "mapreduce.status", new JsonObject()));
    assertThat(status.getString("node")).isEqualTo("node-t");
    assertThat(status.getJsonObject("stats").getInteger("workers")).isEqualTo(2);
  }
}
