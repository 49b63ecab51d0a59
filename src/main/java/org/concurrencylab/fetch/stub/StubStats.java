package org.concurrencylab.fetch.stub;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the stub has seen, shared by its server instances (one per event loop): requests, connections open
 * and closed, and requests whose client went away before the answer (a cancelled fetch shows up here).
 */
final class StubStats {

  final AtomicLong requests = new AtomicLong();
  final AtomicLong inFlight = new AtomicLong();
  /** The most requests the stub has held at once since the last reset: what a client's limit allowed. */
  final AtomicLong inFlightPeak = new AtomicLong();
  final AtomicLong failuresSent = new AtomicLong();
  final AtomicLong abandoned = new AtomicLong();
  final AtomicLong bytesSent = new AtomicLong();
  final AtomicLong connectionsOpened = new AtomicLong();
  final AtomicLong connectionsClosed = new AtomicLong();

  JsonObject toJson() {
    long opened = connectionsOpened.get();
    long closed = connectionsClosed.get();
    return new JsonObject()
      .put("requests", requests.get())
      .put("in_flight", inFlight.get())
      .put("in_flight_peak", inFlightPeak.get())
      .put("failures_sent", failuresSent.get())
      .put("abandoned", abandoned.get())
      .put("bytes_sent", bytesSent.get())
      .put("connections_opened", opened)
      .put("connections_closed", closed)
      .put("connections_open", opened - closed);
  }

  void started() {
    requests.incrementAndGet();
    long now = inFlight.incrementAndGet();
    inFlightPeak.accumulateAndGet(now, Math::max);
  }

  void reset() {
    requests.set(0);
    inFlightPeak.set(inFlight.get());
    failuresSent.set(0);
    abandoned.set(0);
    bytesSent.set(0);
    // in flight and connection counts describe live state: a reset keeps them consistent by not touching them
  }
}
