package org.concurrencylab.web;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /skus/stream} over the book's 100,000 SKUs: every row arrives, in order, and a client that stops
 * reading stops the database cursor instead of making the server buffer the rest.
 */
class SkuStreamTest {

  private static final int SKUS = 100_000;
  private static Vertx vertx;
  private static int port;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    port = Ports.free();
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "db,web,http").put("http_port", port).put("http_instances", 1)
      .put("db_url", TestDatabase.freshDatabase("sku_stream")))), Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static JsonObject storeStats() {
    return Await.result(Bus.<JsonObject>request(vertx, "db.status", new JsonObject())).getJsonObject("stats");
  }

  /** A raw HTTP/1.1 client whose tiny receive buffer lets the server feel a slow reader at once. */
  private static Socket request() throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4_096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET /skus/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }

  @Test
  void aSlowReaderPausesTheCursorAndThenGetsEveryRowInOrder() throws IOException {
    long fetchedBefore = storeStats().getLong("stream_rows_fetched");
    try (Socket socket = request()) {
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8_192];
      long read = 0;
      while (read < 50_000) {
        int n = in.read(buffer);
        assertThat(n).isPositive();
        read += n;
      }
      // The client now stops reading. The store's cursor must come to rest, waiting for the reader.
      long[] previous = {-1};
      Await.until(() -> {
        JsonObject stats = storeStats();
        long fetched = stats.getLong("stream_rows_fetched") - fetchedBefore;
        boolean resting = stats.getLong("streams_waiting_for_reader") == 1 && fetched == previous[0];
        previous[0] = fetched;
        return resting;
      }, Duration.ofSeconds(30), "the cursor waits for the slow reader");
      long fetchedWhilePaused = previous[0];
      // Socket buffers hold a few MB at most; the 100,000 rows are ~7 MB of NDJSON. Far fewer rows than that
      // have been read from PostgreSQL: the cursor did not run ahead of the client.
      assertThat(fetchedWhilePaused).isLessThan(SKUS * 3L / 4);

      // Resume reading: the cursor moves again and more rows come than were fetched while paused. What the
      // socket buffers held comes first (their size is the kernel's to tune), so read on until the store
      // fetches again, checking after every 256 KB; the stream's end before that would be the failure.
      long fetchedAfter = fetchedWhilePaused;
      while (fetchedAfter <= fetchedWhilePaused) {
        long chunk = 0;
        int n = 0;
        while (chunk < 256 * 1024 && (n = in.read(buffer)) > 0) {
          chunk += n;
        }
        fetchedAfter = storeStats().getLong("stream_rows_fetched") - fetchedBefore;
        if (n < 0) {
          break;
        }
      }
      assertThat(fetchedAfter).isGreaterThan(fetchedWhilePaused);
    }
    // The client went away mid-stream: the server closes the cursor and gives its connection back.
    Await.until(() -> storeStats().getLong("streams_open") == 0, Duration.ofSeconds(10), "the cursor closed");
  }

  @Test
  void streamsEverySkuOnceInOrder() throws IOException {
    try (Socket socket = request();
         BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(reader.readLine()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(countRows(reader)).isEqualTo(SKUS);
    }
  }

  /** Counts the JSON rows of a chunked body, checking that sku ids run 1, 2, 3, ... */
  private static long countRows(BufferedReader reader) throws IOException {
    long rows = 0;
    String line;
    while ((line = reader.readLine()) != null) {
      if (!line.startsWith("{")) {
        continue; // status line, headers, chunk sizes
      }
      JsonObject row = new JsonObject(line);
      rows++;
      assertThat(row.getInteger("sku_id")).isEqualTo((int) rows);
      assertThat(row.getInteger("product_size_id")).isBetween(1, 3);
    }
    return rows;
  }
}
