package org.concurrencylab.spi;

/**
 * A start-up failure caused by a configured value (a port in use, a value the service cannot accept).
 * The launcher prints its message as one line naming the key and exits with code 2.
 */
public class StartupException extends RuntimeException {

  private final String key;

  public StartupException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The configuration key at fault, e.g. {@code echo_port}. */
  public String key() {
    return key;
  }

  /** The environment variable that sets {@link #key()}, e.g. {@code LAB_ECHO_PORT}. */
  public String environmentVariable() {
    return "LAB_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
  }

  /** A server that could not bind: names the port's key, the address and the reason. */
  public static StartupException cannotListen(String key, String host, int port, Throwable cause) {
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (reason.contains("Address already in use")) {
      reason = "address already in use";
    }
    StartupException e = new StartupException(key, "cannot listen on " + host + ":" + port + " (" + reason + ")");
    e.initCause(cause);
    return e;
  }

  @Override
  public String getMessage() {
    return environmentVariable() + ": " + super.getMessage();
  }
}
