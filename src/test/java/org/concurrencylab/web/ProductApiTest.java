package org.concurrencylab.web;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The REST API as a client sees it: a lab node running the store, the API and the HTTP server, on a real
 * PostgreSQL seeded with the book's data.
 */
class ProductApiTest {

  private static Vertx vertx;
  private static String base;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    int port = Ports.free();
    base = "http://127.0.0.1:" + port;
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "db,web,http").put("http_port", port).put("http_instances", 1)
      .put("db_url", TestDatabase.freshDatabase("product_api")))));
  }

  @AfterAll
  static void stop() {
    Await.result(vertx.close());
  }

  private static void assertError(Http.Response response, int status, String error) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.json().getString("error")).isEqualTo(error);
    assertThat(response.json().getString("message")).isNotBlank();
  }

  @Test
  void listsTheBooksHundredBrands() {
    Http.Response response = Http.get(base + "/brands");
    assertThat(response.status()).isEqualTo(200);
    JsonArray brands = response.jsonArray();
    assertThat(brands).hasSizeGreaterThanOrEqualTo(100);
    assertThat(brands.getJsonObject(0).getInteger("brand_id")).isEqualTo(1);
    assertThat(brands.getJsonObject(0).getString("brand_name")).isNotBlank();
  }

  @Test
  void getsAProductOrSays404() {
    Http.Response product = Http.get(base + "/products/1");
    assertThat(product.status()).isEqualTo(200);
    assertThat(product.json().fieldNames()).containsExactlyInAnyOrder("product_id", "product_name", "brand_id");
    assertThat(product.json().getString("product_name").split(" ")).hasSize(10);

    assertError(Http.get(base + "/products/999999"), 404, "not_found");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5", "-1", "0", "99999999999999999999", "2147483648", "%00", "abc", "%20"})
  void refusesIdsThatAreNotPositive32BitIntegers(String id) {
    assertError(Http.get(base + "/products/" + id), 400, "bad_request");
  }

  @Test
  void createsAProductThatCanBeReadBack() {
    Http.Response created = Http.post(base + "/product", "{\"product_name\": \"blue jeans\", \"brand_id\": 3}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    int id = created.json().getInteger("product_id");
    assertThat(id).isGreaterThan(1_000);
    JsonObject read = Http.get(base + "/products/" + id).json();
    assertThat(read.getString("product_name")).isEqualTo("blue jeans");
    assertThat(read.getInteger("brand_id")).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"product_name\": \"x\"",                              // not JSON
    "[1, 2]",                                                // not an object
    "{\"brand_id\": 3}",                                     // missing name
    "{\"product_name\": \"x\"}",                             // missing brand
    "{\"product_name\": 5, \"brand_id\": 3}",                // wrong type
    "{\"product_name\": \"x\", \"brand_id\": \"3\"}",        // wrong type
    "{\"product_name\": \"x\", \"brand_id\": 1.5}",          // not an integer
    "{\"product_name\": \"x\", \"brand_id\": -4}",           // not positive
    "{\"product_name\": \"\", \"brand_id\": 3}",             // empty name
    "{\"product_name\": \"x\", \"brand_id\": 3, \"extra\": 1}", // not in the contract
    "{\"product_name\": \"nul\\u0000\", \"brand_id\": 3}",   // PostgreSQL refuses NUL in text
    ""})
  void refusesBadBodiesWith400(String body) {
    assertError(Http.post(base + "/product", body), 400, "bad_request");
  }

  @Test
  void refusesAnOverLongNameATooLargeBodyAndAMissingBrand() {
    assertError(Http.post(base + "/product", "{\"product_name\": \"" + "x".repeat(201) + "\", \"brand_id\": 3}"),
      400, "bad_request");
    assertError(Http.post(base + "/product", "{\"product_name\": \"" + "x".repeat(20_000) + "\", \"brand_id\": 3}"),
      413, "payload_too_large");
    Http.Response noBrand = Http.post(base + "/product", "{\"product_name\": \"orphan\", \"brand_id\": 4242}");
    assertError(noBrand, 422, "unprocessable");
    assertThat(noBrand.json().getString("message")).contains("4242");
  }

  @Test
  void refusesABodyThatIsNotJson() {
    Http.Response response = Http.send(HttpRequest.newBuilder(URI.create(base + "/product"))
      .header("content-type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello")));
    assertError(response, 400, "bad_request");
  }

  @Test
  void tellsTheTime() {
    JsonObject time = Http.get(base + "/time").json();
    assertThat(time.getInteger("month")).isBetween(1, 12);
    assertThat(time.getInteger("day")).isBetween(1, 31);
    assertThat(time.getString("time")).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
  }

  @Test
  void servesItsOpenApiDocument() {
    Http.Response document = Http.get(base + "/openapi.yaml");
    assertThat(document.status()).isEqualTo(200);
    assertThat(document.body()).startsWith("openapi: 3.1.0").contains("/products/{id}", "operationId: createProduct");
  }

  @Test
  void theStoreReportsItsStatusInHealth() {
    JsonObject services = Http.get(base + "/health").json().getJsonObject("services");
    assertThat(services.getJsonObject("db").getString("state")).isEqualTo("up");
    assertThat(services.getJsonObject("web").getString("state")).isEqualTo("up");
  }
}
