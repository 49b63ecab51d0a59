package org.concurrencylab.chat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Browser;
import org.concurrencylab.testsupport.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat page in a real Chromium: two pages exchange lines, and a TCP user is in the same room. */
class ChatPageBrowserTest {

  private static Vertx vertx;
  private static ChatLab lab;
  private static Browser browser;

  @BeforeAll
  static void start() {
    browser = Browser.open();
    vertx = Vertx.vertx();
    lab = ChatLab.start(vertx, new JsonObject().put("services", "chat,http"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (lab != null) {
      lab.close();
    }
    if (vertx != null) {
      Await.result(vertx.close());
    }
  }

  @Test
  void twoPagesAndATcpClientShareTheRoom() {
    WebDriver driver = browser.driver();
    String ann = join(driver, "ann");
    awaitWelcome(driver);
    driver.switchTo().newWindow(WindowType.TAB);
    String ben = join(driver, "ben");
    awaitWelcome(driver);
    try (LineClient tcp = LineClient.join(lab.port, "tess")) {
      driver.findElement(By.id("line")).sendKeys("hello from ben\n");
      awaitLine(driver, "ben: hello from ben");

      driver.switchTo().window(ann);
      awaitLine(driver, "ben: hello from ben");
      assertThat(tcp.await(line -> line.startsWith("ben: "))).isEqualTo("ben: hello from ben");

      tcp.send("hello from the terminal");
      awaitLine(driver, "tess: hello from the terminal");
      driver.switchTo().window(ben);
      awaitLine(driver, "tess: hello from the terminal");

      driver.findElement(By.id("leave")).click();
      driver.switchTo().window(ann);
      awaitLine(driver, "ben has left the chat");
      tcp.await("ben has left the chat");
    }
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void aTakenNameIsRefusedOnThePage() {
    WebDriver driver = browser.driver();
    try (LineClient tcp = LineClient.join(lab.port, "taken")) {
      driver.switchTo().newWindow(WindowType.TAB);
      join(driver, "taken");
      awaitLine(driver, "Username taken");
      new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("state")).getText().equals("not connected"));
    }
  }

  @Test
  void plainGetOfTheWebSocketPathIsA400() {
    Http.Response response = Http.get("http://127.0.0.1:" + lab.httpPort + "/chat?user=x");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().getString("message")).contains("WebSocket");
  }

  /** Opens the chat page in the current tab, joins as {@code user}, and returns the tab's handle. */
  private static String join(WebDriver driver, String user) {
    driver.get("http://127.0.0.1:" + lab.httpPort + "/chat.html");
    driver.findElement(By.id("user")).sendKeys(user + "\n");
    return driver.getWindowHandle();
  }

  /**
   * Waits for the welcome on the current tab: the user is in the room (it gets every line said from now on) and
   * the page's input is enabled. A page joins over a WebSocket of its own, so typing before that is too early.
   */
  private static void awaitWelcome(WebDriver driver) {
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#log div")).stream()
      .anyMatch(div -> div.getText().startsWith("Welcome! ")));
  }

  private static void awaitLine(WebDriver driver, String text) {
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#log div")).stream()
      .anyMatch(div -> div.getText().equals(text)));
  }
}
