package org.concurrencylab.app;

/** A configuration value the lab cannot start with; the message is one line naming the key. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }
}
