package org.concurrencylab.app;

import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The event-loop implementation a node runs on ({@code LAB_TRANSPORT}): Java NIO, or Netty's native epoll or
 * io_uring (the lab's counterpart of the book's uvloop). A native transport the kernel refuses falls back
 * to NIO with a log line saying why, never silently.
 */
final class Transports {

  private static final Logger log = LoggerFactory.getLogger(Transports.class);

  private Transports() {
  }

  /** The transport a name stands for; names are {@code nio}, {@code epoll} and {@code io_uring}. */
  static Transport named(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "nio":
        return Transport.NIO;
      case "epoll":
        return Transport.EPOLL;
      case "io_uring":
      case "io-uring":
        return Transport.IO_URING;
      default:
        throw new ConfigException(LabConfig.environmentVariable("transport") + "=" + name
          + ": unknown transport (known: nio, epoll, io_uring)");
    }
  }

  /** The configured transport if this machine can run it, NIO otherwise. */
  static Transport choose(JsonObject config) {
    String name = config.getString("transport", "nio");
    Transport wanted = named(name);
    if (wanted == null) {
      log.warn("transport {} is not on the classpath; using nio", name);
      return Transport.NIO;
    }
    if (!wanted.available()) {
      Throwable cause = wanted.unavailabilityCause();
      log.warn("transport {} is unavailable here ({}); using nio", name,
        cause == null ? "no reason given" : cause.getMessage());
      return Transport.NIO;
    }
    return wanted;
  }
}
