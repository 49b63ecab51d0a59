package org.concurrencylab.fetch;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The WebSocket {@code /fetch/ws}, driven by the JDK's WebSocket client: results stream as they land. */
class FetchSocketTest {

  private static FetchLab lab;

  @BeforeAll
  static void start() {
    lab = new FetchLab();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  /** Collects text frames; {@code closed} completes when the server closes the socket. */
  private static final class Frames implements WebSocket.Listener {
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(new JsonObject(partial.toString()));
        partial.setLength(0);
      }
      socket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }
  }

  private static WebSocket connect(Frames frames) throws Exception {
    return HttpClient.newHttpClient().newWebSocketBuilder()
      .buildAsync(URI.create("ws://127.0.0.1:" + lab.httpPort + "/fetch/ws"), frames)
      .get(10, TimeUnit.SECONDS);
  }

  @Test
  void resultsArriveOneByOneThenTheTotals() throws Exception {
    Frames frames = new Frames();
    WebSocket socket = connect(frames);
    socket.sendText(new JsonObject().put("mode", "as-completed").put("urls", new JsonArray()
      .add(lab.stub("delay_ms=400")).add(lab.stub("")).add("python://bad")).encode(), true);

    frames.closed.get(15, TimeUnit.SECONDS);
    List<JsonObject> got = frames.frames;
    assertThat(got).hasSize(4);
    assertThat(got.subList(0, 3)).allMatch(f -> f.getString("type").equals("result"));
    assertThat(got.get(2).getInteger("index")).isEqualTo(0);
    JsonObject done = got.get(3);
    assertThat(done.getString("type")).isEqualTo("done");
    assertThat(done.getJsonObject("totals").getInteger("ok")).isEqualTo(2);
    assertThat(done.getJsonObject("totals").getInteger("errors")).isEqualTo(1);
  }

  @Test
  void aBadCallGetsAnErrorFrame() throws Exception {
    Frames frames = new Frames();
    WebSocket socket = connect(frames);
    socket.sendText(new JsonObject().put("url", lab.stub("")).put("count", 20_000).encode(), true);

    frames.closed.get(10, TimeUnit.SECONDS);
    assertThat(frames.frames).hasSize(1);
    assertThat(frames.frames.get(0).getString("type")).isEqualTo("error");
    assertThat(frames.frames.get(0).getInteger("code")).isEqualTo(400);
  }

  @Test
  void closingTheSocketCancelsTheCall() throws Exception {
    JsonObject before = lab.stubStats();
    Frames frames = new Frames();
    WebSocket socket = connect(frames);
    socket.sendText(new JsonObject().put("urls", new JsonArray().add(lab.stub("delay_ms=20000"))).encode(), true);
    Await.until(() -> lab.stubStats().getLong("in_flight") > before.getLong("in_flight"), Duration.ofSeconds(10),
      "the stub holds the slow request");

    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);

    lab.awaitAbandoned(before, 1);
  }
}
