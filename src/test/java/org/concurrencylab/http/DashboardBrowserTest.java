package org.concurrencylab.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.concurrencylab.app.LabVerticle;
import org.concurrencylab.bus.Bus;
import org.concurrencylab.testsupport.Await;
import org.concurrencylab.testsupport.Browser;
import org.concurrencylab.testsupport.Ports;
import org.concurrencylab.testsupport.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard ({@code /}) in a real Chromium, fed by a two-node cluster: a gateway node (http, echo) and a
 * worker node (echo, chat, mapreduce). It shows both members and the services of each, its numbers move when traffic
 * flows, and its bus explorer gets answers from permitted addresses and refusals from the others.
 */
class DashboardBrowserTest {

  /** An address no page needs: the bridge must refuse it, whoever listens there. */
  private static final String NOT_PERMITTED = "queue.orders.place";

  private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
  private static final String GATEWAY = "gateway-" + SUFFIX;
  private static final String WORKER = "worker-" + SUFFIX;

  private static Browser browser;
  private static String gatewayDeployment;
  private static String workerDeployment;
  private static MessageConsumer<Object> trap;
  private static final AtomicInteger trapped = new AtomicInteger();
  private static int httpPort;
  /** The word count's input folder. */
  private static Path data;
  private static int workerEchoPort;
  private static int workerChatPort;

  @BeforeAll
  static void start() {
    browser = Browser.open();
    httpPort = Ports.free();
    workerEchoPort = Ports.free();
    workerChatPort = Ports.free();
    gatewayDeployment = deploy(TestCluster.node(0), new JsonObject().put("services", "http,echo")
      .put("node_name", GATEWAY).put("http_port", httpPort).put("http_instances", 1)
      .put("echo_port", Ports.free()).put("selector_echo_port", Ports.free()));
    try {
      data = Files.createTempDirectory("dashboard");
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 5_000; i++) {
        lines.append(i % 5 == 0 ? "Aardvark" : "word" + i % 40).append("\t1900\t2\t1\n");
      }
      Files.writeString(data.resolve("1gram.tsv"), lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    workerDeployment = deploy(TestCluster.node(1), new JsonObject().put("services", "echo,chat,mapreduce")
      .put("node_name", WORKER).put("echo_port", workerEchoPort).put("selector_echo_port", Ports.free())
      .put("chat_port", workerChatPort).put("mapreduce_roots", data.toString()));
    trap = TestCluster.node(0).eventBus().consumer(NOT_PERMITTED, message -> {
      trapped.incrementAndGet();
      message.reply(new JsonObject().put("placed", true));
    });
    Await.result(trap.completion());
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (trap != null) {
      Await.result(trap.unregister());
    }
    if (gatewayDeployment != null) {
      Await.result(TestCluster.node(0).undeploy(gatewayDeployment), Duration.ofSeconds(15));
    }
    if (workerDeployment != null) {
      Await.result(TestCluster.node(1).undeploy(workerDeployment), Duration.ofSeconds(15));
    }
    if (data != null) {
      data.resolve("1gram.tsv").toFile().delete();
      data.toFile().delete();
    }
  }

  private static String deploy(Vertx vertx, JsonObject config) {
    return Await.result(vertx.deployVerticle(new LabVerticle(), new DeploymentOptions().setConfig(config)),
      Duration.ofSeconds(60));
  }

  @Test
  void showsBothNodesAndTheirServicesAndNumbersMoveUnderTraffic() throws IOException {
    WebDriver page = browser.driver();
    page.get("http://127.0.0.1:" + httpPort + "/");
    WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(20));

    wait.until(d -> present(d, "#members tr[data-node='" + GATEWAY + "']")
      && present(d, "#members tr[data-node='" + WORKER + "']"));
    wait.until(d -> present(d, "#services tr[data-service='echo'][data-node='" + GATEWAY + "'] .state-up")
      && present(d, "#services tr[data-service='echo'][data-node='" + WORKER + "'] .state-up")
      && present(d, "#services tr[data-service='chat'][data-node='" + WORKER + "'] .state-up")
      && present(d, "#services tr[data-service='http'][data-node='" + GATEWAY + "'] .state-up"));
    assertThat(text(page, "#members tr[data-node='" + WORKER + "']"))
      .contains("chat").contains("echo");

    String echoRow = "#echo tr[data-node='" + WORKER + "'][data-server='tcp']";
    wait.until(d -> present(d, echoRow + " td.bytes"));
    assertThat(text(page, echoRow + " td.open")).isEqualTo("0");
    assertThat(text(page, echoRow + " td.bytes")).isEqualTo("0");

    // Traffic: an echo connection kept open on the worker, and a user in its chat room.
    try (Socket echo = new Socket("127.0.0.1", workerEchoPort); Socket chat = new Socket("127.0.0.1", workerChatPort)) {
      echo.setSoTimeout(10_000);
      echo.getOutputStream().write(new byte[4_096]);
      echo.getOutputStream().flush();
      assertThat(echo.getInputStream().readNBytes(4_096)).hasSize(4_096);
      OutputStream chatOut = chat.getOutputStream();
      chatOut.write("CONNECT ada\n".getBytes(StandardCharsets.UTF_8));
      chatOut.flush();

      wait.until(d -> text(d, echoRow + " td.bytes").equals("4,096") && text(d, echoRow + " td.open").equals("1"));
      wait.until(d -> text(d, "#chat tr[data-node='" + WORKER + "'] td.users").equals("1")
        && text(d, "#chat tr[data-node='" + WORKER + "']").contains("ada"));
      browser.screenshot(Path.of("target", "screenshots", "dashboard-cluster.png"));
    }
    wait.until(d -> text(d, echoRow + " td.open").equals("0")); // the page follows the connection closing too
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void showsAWordCountJobWithItsProgressAndTheNodeThatRunsIt() {
    WebDriver page = browser.driver();
    page.get("http://127.0.0.1:" + httpPort + "/");
    WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(30));
    wait.until(d -> present(d, "#services tr[data-service='mapreduce'][data-node='" + WORKER + "'] .state-up"));

    JsonObject job = Await.result(Bus.request(TestCluster.node(0), "mapreduce.jobs.start", new JsonObject()
      .put("path", data.resolve("1gram.tsv").toString()).put("word", "Aardvark").put("partitionLines", 500)));
    String row = "#mapreduce tr[data-job='" + job.getString("id") + "']";

    // Which file on which node comes from a second request the page makes once it sees the job: wait for it too.
    wait.until(d -> text(d, row).contains("done") && text(d, row).contains("5,000") && text(d, row).contains(WORKER));
    assertThat(text(page, row)).contains(data.resolve("1gram.tsv").toString());
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void theBusExplorerGetsRepliesFromPermittedAddressesAndRefusalsFromOthers() {
    WebDriver page = browser.driver();
    page.get("http://127.0.0.1:" + httpPort + "/");
    WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(20));
    wait.until(d -> "live".equals(d.findElement(By.id("live")).getDomAttribute("data-state")));

    explore(page, "echo.status." + WORKER, "{}");
    wait.until(d -> "reply".equals(outcome(d)));
    assertThat(text(page, "#explorer-result")).contains("\"node\": \"" + WORKER + "\"").contains("\"state\": \"up\"");

    explore(page, "chat.status", "not json");
    wait.until(d -> "failure".equals(outcome(d)));
    assertThat(text(page, "#explorer-result")).contains("not valid JSON");

    explore(page, NOT_PERMITTED, "{\"item\": \"x\"}");
    wait.until(d -> "refused".equals(outcome(d)));
    assertThat(text(page, "#explorer-result")).contains("access_denied");
    // The node has a consumer there, and it was never reached: the bridge stopped the frame.
    explore(page, "lab.members", "{}");
    wait.until(d -> "reply".equals(outcome(d)));
    assertThat(trapped).hasValue(0);
    assertThat(browser.consoleErrors()).isEmpty();
  }

  private static void explore(WebDriver page, String address, String body) {
    WebElement input = page.findElement(By.id("explorer-address"));
    input.clear();
    input.sendKeys(address);
    WebElement text = page.findElement(By.id("explorer-body"));
    text.clear();
    text.sendKeys(body);
    page.findElement(By.cssSelector("#explorer-form button")).click();
  }

  private static String outcome(WebDriver page) {
    return page.findElement(By.id("explorer-result")).getDomAttribute("data-outcome");
  }

  private static boolean present(WebDriver page, String css) {
    return !page.findElements(By.cssSelector(css)).isEmpty();
  }

  /**
   * The text of the first element matching {@code css}, or "". Read in one script: the page redraws its tables
   * every second, so an element found by one call may be gone by the next.
   */
  private static String text(WebDriver page, String css) {
    Object text = ((JavascriptExecutor) page).executeScript(
      "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css);
    return text == null ? "" : text.toString();
  }
}
