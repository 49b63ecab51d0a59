package org.concurrencylab.web;

import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The API's OpenAPI document ({@code web/openapi.yaml} on the classpath): its text, served as
 * {@code /openapi.yaml}, and its JSON form, from which the routes are mounted and requests validated. Read
 * once per JVM; the document is small and never changes while the lab runs.
 */
final class ApiContract {

  static final String RESOURCE = "web/openapi.yaml";

  private static final ApiContract INSTANCE = load();

  private final String yaml;
  private final JsonObject json;

  private ApiContract(String yaml, JsonObject json) {
    this.yaml = yaml;
    this.json = json;
  }

  static ApiContract get() {
    return INSTANCE;
  }

  String yaml() {
    return yaml;
  }

  /** A copy of the document as JSON (callers may change it). */
  JsonObject json() {
    return json.copy();
  }

  @SuppressWarnings("unchecked")
  private static ApiContract load() {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
      // YAML keys such as '200' are strings already; a JSON round trip turns nested maps into JsonObjects.
      return new ApiContract(text, new JsonObject(new JsonObject(document).encode()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
