package org.concurrencylab.spi;

import io.vertx.core.transport.Transport;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The event-loop implementations a lab JVM runs on, by the names {@code LAB_TRANSPORT} takes: Java NIO, or Netty's
 * native epoll or io_uring (the lab's counterpart of the book's uvloop). One place for the names and for the
 * fallback, so a lab node, {@code loadtest} and the benchmarks choose alike: a native transport the kernel refuses
 * falls back to NIO, and says why, never silently.
 */
public final class EventLoopTransports {

  private EventLoopTransports() {
  }

  /**
   * The transport a name stands for ({@code nio}, {@code epoll}, {@code io_uring}; case and spaces ignored); null
   * when Vert.x knows the name but its native library is not on the class path.
   *
   * @throws IllegalArgumentException for any other name, with a message that lists the known ones
   */
  public static Transport named(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "nio" -> Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      case "io_uring", "io-uring" -> Transport.IO_URING;
      default -> throw new IllegalArgumentException("unknown transport (known: nio, epoll, io_uring)");
    };
  }

  /** The transport {@code name} stands for if this machine can run it; NIO otherwise, after telling {@code warn} why. */
  public static Transport orNio(String name, Consumer<String> warn) {
    Transport wanted = named(name);
    if (wanted == null) {
      warn.accept("transport " + name + " is not on the classpath; using nio");
      return Transport.NIO;
    }
    if (!wanted.available()) {
      Throwable cause = wanted.unavailabilityCause();
      warn.accept("transport " + name + " is unavailable here ("
        + (cause == null ? "no reason given" : cause.getMessage()) + "); using nio");
      return Transport.NIO;
    }
    return wanted;
  }
}
