package org.concurrencylab.app;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lab's configuration: flat keys such as {@code http_port}. {@code conf/application.json} (shipped in
 * the jar) holds every key with its default, and the type of each default is the type the key must
 * have. Environment variables {@code LAB_<KEY>} override the defaults, and {@code -conf} overrides both.
 * Unknown keys and values of the wrong type are refused with one line naming the key.
 */
public final class LabConfig {

  static final String ENV_PREFIX = "LAB_";
  private static final String DEFAULTS = "conf/application.json";

  private LabConfig() {
  }

  /** The defaults shipped in the jar. */
  public static JsonObject defaults() {
    try (InputStream in = LabConfig.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS + " is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The environment variable that sets {@code key}: {@code http_port} -> {@code LAB_HTTP_PORT}. */
  public static String environmentVariable(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * Resolves the configuration: defaults, then {@code LAB_*} variables of {@code env}, then {@code conf}
   * (the {@code -conf} JSON, may be null). Every value is checked against the type of its default.
   *
   * @throws ConfigException for an unknown key or a value of the wrong type
   */
  public static JsonObject resolve(JsonObject defaults, Map<String, String> env, JsonObject conf) {
    JsonObject resolved = defaults.copy();
    Map<String, String> keysByVariable = new TreeMap<>();
    defaults.fieldNames().forEach(key -> keysByVariable.put(environmentVariable(key), key));
    for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
      if (!variable.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      String key = keysByVariable.get(variable.getKey());
      if (key == null) {
        throw new ConfigException(variable.getKey() + ": unknown setting (known: "
          + String.join(", ", keysByVariable.keySet()) + ")");
      }
      resolved.put(key, parse(variable.getKey(), defaults.getValue(key), variable.getValue()));
    }
    if (conf != null) {
      for (String key : conf.fieldNames()) {
        if (!defaults.containsKey(key)) {
          throw new ConfigException("-conf " + key + ": unknown setting (known: "
            + String.join(", ", new TreeMap<>(defaults.getMap()).keySet()) + ")");
        }
        Object value = conf.getValue(key);
        resolved.put(key, value instanceof String text
          ? parse("-conf " + key, defaults.getValue(key), text)
          : check("-conf " + key, defaults.getValue(key), value));
      }
    }
    return resolved;
  }

  /** Reads {@code -conf}'s argument: inline JSON, or the path of a JSON file. */
  public static JsonObject readConf(String argument) {
    String text = argument.trim();
    try {
      if (!text.startsWith("{")) {
        Path path = Path.of(argument);
        if (!Files.isRegularFile(path)) {
          throw new ConfigException("-conf " + argument + ": neither a JSON object nor a readable file");
        }
        text = Files.readString(path);
      }
      return new JsonObject(text);
    } catch (IOException e) {
      throw new ConfigException("-conf " + argument + ": cannot read (" + e.getMessage() + ")");
    } catch (DecodeException e) {
      throw new ConfigException("-conf " + argument + ": not valid JSON (" + e.getMessage() + ")");
    }
  }

  private static Object parse(String name, Object defaultValue, String text) {
    String value = text.trim();
    if (defaultValue instanceof Integer || defaultValue instanceof Long) {
      long number;
      try {
        number = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new ConfigException(name + "=" + text + ": not an integer");
      }
      return check(name, defaultValue, number);
    }
    if (defaultValue instanceof Boolean) {
      if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw new ConfigException(name + "=" + text + ": must be true or false");
      }
      return Boolean.parseBoolean(value);
    }
    if (defaultValue instanceof Double || defaultValue instanceof Float) {
      try {
        return Double.parseDouble(value);
      } catch (NumberFormatException e) {
        throw new ConfigException(name + "=" + text + ": not a number");
      }
    }
    return text;
  }

  private static Object check(String name, Object defaultValue, Object value) {
    if (defaultValue instanceof Integer || defaultValue instanceof Long) {
      if (!(value instanceof Integer || value instanceof Long)) {
        throw new ConfigException(name + "=" + value + ": not an integer");
      }
      long number = ((Number) value).longValue();
      if (name.endsWith("_port") || name.endsWith("_PORT")) {
        if (number < 0 || number > 65_535) {
          throw new ConfigException(name + "=" + value + ": not a port (0-65535)");
        }
      } else if (number < 0) {
        throw new ConfigException(name + "=" + value + ": must not be negative");
      }
      if (defaultValue instanceof Integer && number > Integer.MAX_VALUE) {
        throw new ConfigException(name + "=" + value + ": too large");
      }
      return defaultValue instanceof Integer ? Math.toIntExact(number) : number;
    }
    if (defaultValue instanceof Boolean && !(value instanceof Boolean)) {
      throw new ConfigException(name + "=" + value + ": must be true or false");
    }
    if (defaultValue instanceof String && !(value instanceof String)) {
      throw new ConfigException(name + "=" + value + ": must be a string");
    }
    return value;
  }
}
