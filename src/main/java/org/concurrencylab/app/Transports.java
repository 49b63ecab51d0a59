package org.concurrencylab.app;

import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.concurrencylab.spi.EventLoopTransports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event-loop implementation a node runs on ({@code LAB_TRANSPORT}): Java NIO, or Netty's native epoll or
 * io_uring (the lab's counterpart of the book's uvloop). A native transport the kernel refuses falls back
 * to NIO with a log line saying why, never silently.
 */
final class Transports {

  private static final Logger log = LoggerFactory.getLogger(Transports.class);

  private Transports() {
  }

  /** The transport a name stands for; an unknown name is a configuration error naming the setting. */
  static Transport named(String name) {
    try {
      return EventLoopTransports.named(name);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(LabConfig.environmentVariable("transport") + "=" + name + ": " + e.getMessage());
    }
  }

  /** The configured transport (checked by {@link #named} at start-up) if this machine can run it, NIO otherwise (logged). */
  static Transport choose(JsonObject config) {
    return EventLoopTransports.orNio(config.getString("transport", "nio"), log::warn);
  }
}
