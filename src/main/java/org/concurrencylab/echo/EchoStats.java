package org.concurrencylab.echo;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live numbers of one echo server, updated by the threads that serve its connections and read by
 * {@code echo.stats} from any thread. Each counter is a {@link LongAdder}: writes from the serving thread
 * cost next to nothing, and a reader gets a sum that is exact once the server is quiet.
 */
public final class EchoStats {

  private final LongAdder open = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder bytesEchoed = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder paused = new LongAdder();
  private final LongAdder pauses = new LongAdder();
  private final LongAdder queuedBytes = new LongAdder();
  private volatile String url = "";

  /** Where the server listens, e.g. {@code tcp://127.0.0.1:8000}; empty until it does. */
  public void listening(String url) {
    this.url = url;
  }

  public String url() {
    return url;
  }

  public void opened() {
    open.increment();
    accepted.increment();
  }

  public void closed() {
    open.decrement();
  }

  /** One connection's handling failed (the book's listing 3.10); the connection is closed. */
  public void failed() {
    failed.increment();
  }

  /** {@code bytes} were read and handed back for writing. */
  public void echoed(int bytes) {
    bytesEchoed.add(bytes);
  }

  /** Bytes handed to the socket but not yet taken by the kernel: + when queued, - when written. */
  public void queued(long bytes) {
    queuedBytes.add(bytes);
  }

  /** A connection stopped reading because its writes were queued up past the bound (its client reads too slowly). */
  public void paused() {
    paused.increment();
    pauses.increment();
  }

  public void resumed() {
    paused.decrement();
  }

  public long openConnections() {
    return open.sum();
  }

  public long bytesEchoed() {
    return bytesEchoed.sum();
  }

  public long pausedConnections() {
    return paused.sum();
  }

  public long queuedBytes() {
    return queuedBytes.sum();
  }

  /** {@code {url, open_connections, connections_total, bytes_echoed, failed_connections, paused_connections, backpressure_pauses, queued_bytes}}. */
  public JsonObject json() {
    return new JsonObject()
      .put("url", url)
      .put("open_connections", open.sum())
      .put("connections_total", accepted.sum())
      .put("bytes_echoed", bytesEchoed.sum())
      .put("failed_connections", failed.sum())
      .put("paused_connections", paused.sum())
      .put("backpressure_pauses", pauses.sum())
      .put("queued_bytes", queuedBytes.sum());
  }
}
