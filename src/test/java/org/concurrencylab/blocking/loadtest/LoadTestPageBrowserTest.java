package org.concurrencylab.blocking.loadtest;

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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The load tester's page in a real Chromium: a person starts a run against the stub and sees its summary. */
class LoadTestPageBrowserTest {

  private static Vertx vertx;
  private static Browser browser;
  private static int httpPort;
  private static int stubPort;

  @BeforeAll
  static void start() {
    browser = Browser.open();
    vertx = Vertx.vertx();
    httpPort = Ports.free();
    stubPort = Ports.free();
    Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(new JsonObject()
      .put("services", "stub,loadtest,http").put("http_port", httpPort).put("stub_port", stubPort)
      .put("http_instances", 1))));
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
  void aRunAgainstTheStubShowsProgressThenTheSummaryAndHistogram() {
    browser.driver().get("http://127.0.0.1:" + httpPort + "/loadtest.html");
    WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(20));
    WebElement url = browser.driver().findElement(By.id("url"));
    // The page offers the node's stub as the target, read from stub.status over the bridge.
    wait.until(d -> url.getDomProperty("value").equals("http://127.0.0.1:" + stubPort + "/"));

    WebElement count = browser.driver().findElement(By.id("count"));
    count.clear();
    count.sendKeys("300");
    browser.driver().findElement(By.id("start")).click();

    wait.until(d -> d.findElement(By.id("status")).getText().startsWith("done"));
    assertThat(browser.driver().findElement(By.id("status")).getText()).contains("300 requests");
    assertThat(browser.driver().findElement(By.id("progress")).getDomProperty("value")).isEqualTo("300");
    String summary = browser.driver().findElement(By.id("summary")).getText();
    assertThat(summary).contains("Requests 300").contains("OK 300").contains("Failed 0");
    assertThat(browser.driver().findElements(By.cssSelector("#histogram .bar"))).hasSize(12);
    assertThat(browser.consoleErrors()).isEmpty();
    browser.screenshot(java.nio.file.Path.of("target", "screenshots", "loadtest.png"));
  }

  @Test
  void aRefusedHostIsShownAsAnError() {
    browser.driver().get("http://127.0.0.1:" + httpPort + "/loadtest.html");
    WebElement url = browser.driver().findElement(By.id("url"));
    new WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d -> !url.getDomProperty("value").isEmpty());
    url.clear();
    url.sendKeys("http://example.com/");
    browser.driver().findElement(By.id("start")).click();

    new WebDriverWait(browser.driver(), Duration.ofSeconds(10))
      .until(d -> d.findElement(By.id("status")).getText().startsWith("could not start"));
    assertThat(browser.driver().findElement(By.id("status")).getText()).contains("not allowed");
    browser.consoleErrors(); // the refused request is not a page error; drain the log for the other test
  }
}
