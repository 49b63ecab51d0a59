package org.concurrencylab.process;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The process service as its users meet it: over the bus and over HTTP, with real children. */
class ProcessServiceTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dataDir;
  private static ProcessLab lab;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    lab = ProcessLab.start(dataDir, new JsonObject()
      .put("process_allow", "ls,echo,sleep,cat,true,python3")
      .put("process_max", 4)
      .put("process_output_max", 64 * 1024));
    client = lab.vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  private static JsonObject run(JsonObject request) {
    return Await.result(Bus.request(lab.vertx, ProcessAddresses.RUN, request.put("wait", true), WAIT.toMillis()), WAIT);
  }

  private static JsonObject start(JsonObject request) {
    return Await.result(Bus.request(lab.vertx, ProcessAddresses.RUN, request));
  }

  private static ReplyException refusal(JsonObject request) {
    return (ReplyException) Await.failure(Bus.request(lab.vertx, ProcessAddresses.RUN, request), WAIT);
  }

  private static JsonObject command(String command, String... args) {
    return new JsonObject().put("command", command).put("args", new JsonArray(List.of((Object[]) args)));
  }

  @Test
  void lsListsTheWorkingDirectoryInsideTheDataDir() throws Exception {
    Files.writeString(lab.workDir.resolve("note.txt"), "kept\n");

    JsonObject result = run(command("ls", "-l"));

    assertThat(result.getInteger("exitCode")).isZero();
    assertThat(result.getString("endedBy")).isEqualTo("exit");
    assertThat(result.getString("stdout")).contains("note.txt").startsWith("total");
    assertThat(result.getString("stderr")).isEmpty();
  }

  @Test
  void stderrAndTheExitCodeOfAFailingCommandComeBack() {
    JsonObject result = run(command("ls", "no-such-file"));

    assertThat(result.getInteger("exitCode")).isEqualTo(2);
    assertThat(result.getString("stderr")).contains("no-such-file").contains("No such file");
    assertThat(result.getString("stdout")).isEmpty();
  }

  @Test
  void stdinTextIsWrittenThenClosed() {
    JsonObject result = run(command("cat").put("stdin", "first\nsecond\n"));

    assertThat(result.getInteger("exitCode")).isZero();
    assertThat(result.getString("stdout")).isEqualTo("first\nsecond\n");
    assertThat(result.getLong("stdoutLines")).isEqualTo(2);
  }

  @Test
  void aChildWritingAMillionLinesToBothPipesWhileWeWaitCompletesWithBothDrained() {
    // The book's 13.4-13.6: with undrained pipes, wait() deadlocks as soon as a pipe's 64 KiB buffer fills.
    JsonObject result = run(command("python3", "hello_both.py", "1000000"));

    assertThat(result.getInteger("exitCode")).isZero();
    assertThat(result.getLong("stdoutLines")).isEqualTo(1_000_000);
    assertThat(result.getLong("stderrLines")).isEqualTo(1_000_000);
    assertThat(result.getLong("stdoutBytes")).isEqualTo(14_000_000);
    assertThat(result.getLong("stderrBytes")).isEqualTo(14_000_000);
    // Only the first 64 KiB (process_output_max) is kept; everything was read.
    assertThat(result.getBoolean("truncated")).isTrue();
    assertThat(result.getString("stdout").length() + result.getString("stderr").length()).isLessThanOrEqualTo(64 * 1024);
    assertThat(result.getString("stdout")).startsWith("Hello there!!\nHello there!!\n");
  }

  @Test
  void aNeverEndingChildIsTerminatedAtItsTimeout() {
    JsonObject result = run(command("sleep", "30").put("timeoutMs", 300));

    assertThat(result.getBoolean("timedOut")).isTrue();
    assertThat(result.getString("endedBy")).isEqualTo("timeout");
    assertThat(result.getInteger("exitCode")).isEqualTo(128 + 15); // SIGTERM
  }

  @Test
  void aChildThatIgnoresSigtermIsKilledAndSoIsItsGrandchild() {
    JsonObject result = run(command("python3", "stubborn.py").put("timeoutMs", 1_000));

    assertThat(result.getBoolean("timedOut")).isTrue();
    assertThat(result.getInteger("exitCode")).isEqualTo(128 + 9); // SIGKILL, after SIGTERM was ignored
    long grandchild = Long.parseLong(result.getString("stdout").trim().split(" ")[1]);
    Await.until(() -> ProcessHandle.of(grandchild).map(handle -> !handle.isAlive()).orElse(true),
      Duration.ofSeconds(10), "the grandchild " + grandchild + " ended");
  }

  @Test
  void aFloodingChildKeepsOnlyTheCapAndEndsAtItsTimeout() {
    JsonObject result = run(command("python3", "flood.py").put("timeoutMs", 1_000));

    assertThat(result.getBoolean("timedOut")).isTrue();
    assertThat(result.getBoolean("truncated")).isTrue();
    assertThat(result.getLong("stdoutBytes")).isGreaterThan(64 * 1024);
    assertThat(result.getString("stdout").length()).isLessThanOrEqualTo(64 * 1024);
  }

  @Test
  void shellSyntaxPathTricksAndUnlistedCommandsAreRefusedWithAClearError() {
    assertThat(refusal(command("rm", "-rf", "x")).getMessage()).contains("'rm' is not allowed").contains("ls, echo");
    assertThat(refusal(command("sh", "-c", "ls")).failureCode()).isEqualTo(400);
    assertThat(refusal(command("/bin/sh", "-c", "ls")).getMessage()).contains("not an allowed program");
    assertThat(refusal(command("../../bin/ls")).getMessage()).contains("relative path");
    assertThat(refusal(command("ls; rm -rf x")).failureCode()).isEqualTo(400);
    assertThat(refusal(command("/bin/ls\u0000")).getMessage()).contains("not a program name");
    assertThat(refusal(command("")).getMessage()).contains("command is missing");
    assertThat(refusal(command("echo", "hi; rm -rf x")).getMessage()).contains("';'").contains("no shell runs here");
    assertThat(refusal(command("echo", "$(id)")).getMessage()).contains("'$'");
    assertThat(refusal(command("echo", "`id`")).getMessage()).contains("'`'");
    assertThat(refusal(command("echo", "a", "b | cat")).getMessage()).contains("argument 2").contains("'|'");
    assertThat(refusal(command("echo", "x > out.txt")).getMessage()).contains("'>'");
    assertThat(refusal(command("echo", "two\nlines")).getMessage()).contains("control character");
    assertThat(refusal(command("cat", "/etc/passwd")).getMessage()).contains("absolute path");
    assertThat(refusal(command("cat", "../../../etc/passwd")).getMessage()).contains("..");
    assertThat(refusal(command("cat", "notes/../../x")).getMessage()).contains("..");
    assertThat(refusal(command("ls", "--hide=/etc")).getMessage()).contains("absolute path");
    assertThat(refusal(command("ls").put("timeoutMs", 0)).getMessage()).contains("timeoutMs");
    assertThat(refusal(command("ls").put("shell", true)).getMessage()).contains("unknown field 'shell'");
    assertThat(refusal(new JsonObject().put("command", "ls").put("args", "-l")).getMessage()).contains("array of strings");
  }

  @Test
  void theAllowedAbsolutePathOfACommandRunsAndTheEnvironmentIsScrubbed() {
    Path env = dataDir.resolve("processes");
    JsonObject result = run(command(CommandPolicy.SEARCH_PATH.stream()
      .map(dir -> dir.resolve("true")).filter(Files::isExecutable).findFirst().orElseThrow().toString()));
    assertThat(result.getInteger("exitCode")).isZero();
    assertThat(env).isDirectory();

    // No `env` in the allow-list: python3 prints its environment instead.
    lab.copyResource("/process/print_env.py", "print_env.py");
    JsonObject printed = run(command("python3", "print_env.py"));
    assertThat(printed.getString("stdout").lines().toList())
      .containsExactlyInAnyOrder("HOME=" + env.toAbsolutePath().normalize(), "LANG=C.UTF-8",
        "PATH=/usr/local/bin:/usr/bin:/bin");
  }

  @Test
  void childrenRunAtTheLowerPriorityOfProcessNiceSoTheyNeverPreemptAnEventLoop() throws Exception {
    lab.copyResource("/process/print_nice.py", "print_nice.py");
    int labNice = SpawnerThreads.niceOf(Path.of("/proc/thread-self").toRealPath()); // this JVM's own (usually 0)
    JsonObject printed = run(command("python3", "print_nice.py"));
    assertThat(printed.getString("stdout")).isEqualTo(Math.max(ProcessVerticle.DEFAULT_NICE, labNice) + "\n");
  }

  @Test
  void outputStreamsLineByLineAsTheChildWritesAndStdinStaysOpenUntilEof() {
    JsonObject started = start(command("cat").put("keepStdinOpen", true));
    String id = started.getString("id");
    assertThat(started.getString("state")).isEqualTo("running");
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    OutputFollower follower = Await.result(onLoop(() -> OutputFollower.follow(lab.vertx, id, events::add)));

    write(id, "one\n", false);
    Await.until(() -> lines(events).contains("one"), WAIT, "the first line, before the second is written");
    assertThat(lines(events)).containsExactly("one");
    write(id, "two\n", true);

    Await.until(() -> events.stream().anyMatch(e -> "exit".equals(e.getString("type"))), WAIT, "the exit event");
    assertThat(lines(events)).containsExactly("one", "two");
    JsonObject exit = events.get(events.size() - 1);
    assertThat(exit.getInteger("exitCode")).isZero();
    follower.close();

    ReplyException closed = (ReplyException) Await.failure(
      Bus.request(lab.vertx, ProcessAddresses.stdin(id), new JsonObject().put("data", "late\n")), WAIT);
    assertThat(closed.failureCode()).isEqualTo(409);
  }

  @Test
  void aChildStartedWithoutKeepStdinOpenRefusesStdinWrites() {
    String id = start(command("sleep", "5")).getString("id");
    ReplyException refused = (ReplyException) Await.failure(
      Bus.request(lab.vertx, ProcessAddresses.stdin(id), new JsonObject().put("data", "x")), WAIT);
    assertThat(refused.failureCode()).isEqualTo(409);
    assertThat(refused.getMessage()).contains("keepStdinOpen");
    JsonObject killed = Await.result(Bus.request(lab.vertx, ProcessAddresses.kill(id), new JsonObject()));
    assertThat(killed.getString("endedBy")).isEqualTo("kill request");
  }

  @Test
  void aPromptWithoutANewlineReachesTheWatcherSoItCanBeAnswered() {
    String id = start(command("python3", "echo_prompt.py").put("keepStdinOpen", true)).getString("id");
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    Await.result(onLoop(() -> OutputFollower.follow(lab.vertx, id, events::add)));

    Await.until(() -> events.stream().anyMatch(e -> e.getBoolean("partial", false)
      && e.getJsonArray("lines").getString(e.getJsonArray("lines").size() - 1).equals("Enter text to echo: ")),
      WAIT, "the prompt, which ends without a newline");
    write(id, "Zoot\n", false);
    Await.until(() -> lines(events).contains("Zoot"), WAIT, "the answer echoed");
    write(id, "quit\n", false);
    Await.until(() -> "exited".equals(state(id)), WAIT, "the child ended after quit");

    // Asked to end a child that has already exited, the service answers with its result.
    JsonObject result = Await.result(Bus.request(lab.vertx, ProcessAddresses.kill(id), new JsonObject()));
    assertThat(result.getString("endedBy")).isEqualTo("exit");
    assertThat(result.getString("stdout")).startsWith("Enter text to echo: Zoot\nZoot\nEnter text to echo: quit\nquit\n");
  }

  @Test
  void atMostProcessMaxChildrenRunAndTheRestWaitInOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(start(command("cat").put("keepStdinOpen", true)).getString("id"));
    }
    assertThat(state(ids.get(3))).isEqualTo("running");
    assertThat(state(ids.get(4))).isEqualTo("queued");

    write(ids.get(0), "", true); // the first one ends...
    Await.until(() -> "running".equals(state(ids.get(4))), WAIT, "the fifth started in the freed slot");
    for (String id : ids.subList(1, 5)) {
      write(id, "", true);
    }
    for (String id : ids) {
      Await.until(() -> "exited".equals(state(id)), WAIT, "every child ended");
    }
  }

  @Test
  void httpRunsWaitsAndStreamsAsServerSentEvents() {
    Http.Response ran = Http.post(lab.url("/processes?wait=true"),
      "{\"command\":\"echo\",\"args\":[\"Hello\",\"there\"]}");
    assertThat(ran.status()).isEqualTo(200);
    assertThat(ran.json().getString("stdout")).isEqualTo("Hello there\n");
    assertThat(ran.json().getInteger("exitCode")).isZero();

    Http.Response created = Http.post(lab.url("/processes"), "{\"command\":\"cat\",\"keepStdinOpen\":true}");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().getString("id");
    assertThat(created.headers().firstValue("location")).hasValue("/processes/" + id);

    StringBuffer stream = new StringBuffer();
    HttpClientResponse response = Await.result(client.request(HttpMethod.GET, lab.httpPort, "127.0.0.1",
      "/processes/" + id + "/output").compose(request -> request.send()));
    assertThat(response.getHeader("content-type")).startsWith("text/event-stream");
    response.handler(buffer -> stream.append(buffer.toString()));
    Http.Response written = Http.post(lab.url("/processes/" + id + "/stdin"), "{\"data\":\"over http\\n\"}");
    assertThat(written.json().getInteger("written")).isEqualTo(10);
    Await.until(() -> stream.toString().contains("\"lines\":[\"over http\"]"), WAIT, "the line as an SSE event");
    assertThat(stream.toString()).contains("event: output\nid: 0\ndata: ");

    Http.Response killed = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(lab.url("/processes/" + id)))
      .DELETE());
    assertThat(killed.status()).isEqualTo(200);
    assertThat(killed.json().getString("endedBy")).isEqualTo("kill request");
    Await.until(() -> stream.toString().contains("event: exit"), WAIT, "the exit event ends the stream");

    Http.Response after = Http.get(lab.url("/processes/" + id));
    assertThat(after.json().getString("state")).isEqualTo("exited");
    assertThat(after.json().getJsonArray("output").getJsonObject(0).getJsonArray("lines")).containsExactly("over http");
  }

  @Test
  void aWebSocketWatcherGetsTheSameEvents() {
    String id = start(command("echo", "over", "a", "socket")).getString("id");
    WebSocketClient sockets = lab.vertx.createWebSocketClient();
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    // The handler is set before connecting: set after, it could miss the frames of a child that already ended.
    ClientWebSocket socket = sockets.webSocket().textMessageHandler(text -> frames.add(new JsonObject(text)));
    Await.result(socket.connect(lab.httpPort, "127.0.0.1", "/processes/" + id + "/output"));
    Await.until(() -> frames.stream().anyMatch(f -> "exit".equals(f.getString("type"))), WAIT, "the exit frame");
    assertThat(frames.get(0).getJsonArray("lines")).containsExactly("over a socket");
    Await.until(socket::isClosed, WAIT, "the server closed the socket after the exit");

    WebSocket unknown = Await.result(sockets.connect(lab.httpPort, "127.0.0.1",
      "/processes/00000000-0000-4000-8000-000000000000/output"));
    Await.until(unknown::isClosed, WAIT, "a socket for an unknown id is closed");
    assertThat(unknown.closeStatusCode()).isEqualTo((short) 4404);
    Await.result(sockets.close());
  }

  @Test
  void httpErrorsAreJsonWithTheRightStatus() {
    Http.Response refused = Http.post(lab.url("/processes"), "{\"command\":\"rm\",\"args\":[\"-rf\",\"x\"]}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("error")).isEqualTo("bad_request");
    assertThat(refused.json().getString("message")).contains("'rm' is not allowed");

    assertThat(Http.post(lab.url("/processes"), "not json").status()).isEqualTo(400);
    assertThat(Http.post(lab.url("/processes"), "[1,2]").status()).isEqualTo(400);

    String unknown = "/processes/00000000-0000-4000-8000-000000000000";
    assertThat(Http.get(lab.url(unknown)).status()).isEqualTo(404);
    assertThat(Http.get(lab.url(unknown + "/output")).status()).isEqualTo(404);
    assertThat(Http.post(lab.url(unknown + "/stdin"), "{\"data\":\"x\"}").status()).isEqualTo(404);
    Http.Response badId = Http.get(lab.url("/processes/..%2F..%2Fetc"));
    assertThat(badId.status()).isEqualTo(404);
    assertThat(badId.json().getString("error")).isEqualTo("not_found");
  }

  private static Future<OutputFollower> onLoop(java.util.function.Supplier<Future<OutputFollower>> follow) {
    io.vertx.core.Promise<OutputFollower> promise = io.vertx.core.Promise.promise();
    lab.vertx.runOnContext(v -> follow.get().onComplete(promise));
    return promise.future();
  }

  private static void write(String id, String data, boolean eof) {
    Await.result(Bus.request(lab.vertx, ProcessAddresses.stdin(id), new JsonObject().put("data", data).put("eof", eof)));
  }

  private static String state(String id) {
    return Await.result(Bus.<JsonObject>request(lab.vertx, ProcessAddresses.output(id), new JsonObject())).getString("state");
  }

  /** The complete lines of the output events so far. */
  private static List<String> lines(List<JsonObject> events) {
    List<String> lines = new ArrayList<>();
    for (JsonObject event : events) {
      if ("output".equals(event.getString("type"))) {
        JsonArray batch = event.getJsonArray("lines");
        for (int i = 0; i < batch.size(); i++) {
          if (i < batch.size() - 1 || !event.getBoolean("partial")) {
            lines.add(batch.getString(i));
          }
        }
      }
    }
    return lines;
  }
}
