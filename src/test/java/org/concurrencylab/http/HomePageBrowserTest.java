package org.concurrencylab.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Browser;
import org.concurrencylab.testsupport.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The web UI's home page in a real Chromium: it lists the node's services, and the bus bridge answers. */
class HomePageBrowserTest {

  private static Vertx vertx;
  private static Browser browser;
  private static int port;

  @BeforeAll
  static void start() {
    browser = Browser.open();
    vertx = Vertx.vertx();
    port = Ports.free();
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "http").put("http_port", port).put("http_instances", 1))));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Test
  void listsTheServicesOfTheNodeWithoutConsoleErrors() {
    browser.driver().get("http://127.0.0.1:" + port + "/");
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
      .until(d -> !d.findElements(By.cssSelector("tr[data-service='http'] .state-up")).isEmpty());
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void thePageReachesPermittedAddressesOverTheBridgeAndIsRefusedOthers() {
    browser.driver().get("http://127.0.0.1:" + port + "/bridge-check.html");
    JavascriptExecutor js = (JavascriptExecutor) browser.driver();
    Object status = js.executeAsyncScript("""
      const done = arguments[arguments.length - 1];
      new LabBus('/eventbus').ready
        .then(bus => bus.request('http.status', {}, 5000))
        .then(reply => done(reply.state), err => done('failed: ' + err.message));""");
    assertThat(status).isEqualTo("up");

    Object refused = js.executeAsyncScript("""
      const done = arguments[arguments.length - 1];
      new LabBus('/eventbus').ready
        .then(bus => bus.request('products.create', {product_name: 'x'}, 3000))
        .then(reply => done('answered'), err => done(String(err.failureCode || err.message)));""");
    assertThat(refused).isNotEqualTo("answered");
  }
}
