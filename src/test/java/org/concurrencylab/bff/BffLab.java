package org.concurrencylab.bff;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Http;
import org.concurrencylab.testsupport.Ports;

import java.time.Duration;

/**
 * A lab node for the chapter-10 tests: some of {@code db, shop, bff, http} on random ports, inventory without
 * its random delay (so that every answer is on time unless a test says otherwise), a breaker with short
 * settings, and longer deadlines than the book's (see {@link #DEADLINE_MS}). Reads the actual ports back from the services' status replies.
 */
public final class BffLab implements AutoCloseable {

  /**
   * The breaker settings of the tests: the book's shape, with times short enough for a test. A call's timeout is
   * 1 s, half of {@link #DEADLINE_MS}: a page sends its 1,000 inventory calls at once, and at 300 ms a cold first
   * page on a loaded machine opened the circuit (BffClusterTest waits that out), so a test expecting a whole page,
   * or exactly the nulls it asked for, could see more.
   */
  public static final JsonObject SHORT_BREAKER = new JsonObject().put("bff_breaker_timeout_ms", 1_000)
    .put("bff_breaker_window_ms", 1_000).put("bff_breaker_max_failures", 3).put("bff_breaker_reset_ms", 1_000);
  /**
   * Each of a page's two waits in the tests: twice the book's 1 s, so that a page of 1,000 healthy calls is
   * whole even on a loaded 2-core machine (a test asserts exact null counts, not speed).
   */
  public static final long DEADLINE_MS = 2_000;
  /** One favorites or cart attempt in the tests (the book's 100 ms, times four for the same reason). */
  public static final long RETRY_TIMEOUT_MS = 400;

  public final Vertx vertx;
  public final int httpPort;
  private final String deployment;

  private BffLab(Vertx vertx, int httpPort, String deployment) {
    this.vertx = vertx;
    this.httpPort = httpPort;
    this.deployment = deployment;
  }

  /** Deploys {@code services} (a LAB_SERVICES list) on {@code vertx} with {@code settings} over the test defaults. */
  public static BffLab start(Vertx vertx, String services, JsonObject settings) {
    int httpPort = Ports.free();
    JsonObject config = new JsonObject().put("services", services).put("http_port", httpPort)
      .put("http_instances", 1).put("bff_port", 0).put("bff_services_port", 0)
      .put("bff_inventory_max_delay_ms", 0).put("bff_deadline_ms", DEADLINE_MS)
      .put("bff_retry_timeout_ms", RETRY_TIMEOUT_MS).mergeIn(SHORT_BREAKER).mergeIn(settings);
    String id = Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config)),
      Duration.ofSeconds(90));
    return new BffLab(vertx, httpPort, id);
  }

  /** The BFF's page URL, {@code http://127.0.0.1:port/products/all} (from {@code bff.status}). */
  public String pageUrl() {
    return status("bff").getJsonArray("endpoints").getJsonObject(0).getString("url");
  }

  /** The base URL of one of the shop's services, e.g. {@code http://127.0.0.1:port} for "inventory". */
  public String shopUrl(String service) {
    JsonArray endpoints = status("shop").getJsonArray("endpoints");
    for (int i = 0; i < endpoints.size(); i++) {
      if (endpoints.getJsonObject(i).getString("name").equals(service)) {
        return endpoints.getJsonObject(i).getString("url");
      }
    }
    throw new AssertionError("the shop lists no " + service + " endpoint: " + endpoints);
  }

  public JsonObject status(String service) {
    return Await.result(Bus.<JsonObject>request(vertx, service + ".status", new JsonObject()));
  }

  public JsonObject bffStats() {
    return status("bff").getJsonObject("stats");
  }

  /** Replaces one service's fault plan, e.g. {@code faults("inventory", {fail_share: 1})}; "all" for every one. */
  public JsonObject faults(String service, JsonObject plan) {
    return Await.result(Bus.<JsonObject>request(vertx, "shop.faults", plan.copy().put("service", service)));
  }

  public void clearFaults() {
    faults("all", new JsonObject());
  }

  /** GET /products/all with an optional query, e.g. {@code page("?user_id=1")}. */
  public Http.Response page(String query) {
    return Http.get(pageUrl() + query);
  }

  public String http(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  @Override
  public void close() {
    Await.result(vertx.undeploy(deployment), Duration.ofSeconds(20));
  }
}
