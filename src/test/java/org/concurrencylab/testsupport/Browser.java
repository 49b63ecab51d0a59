package org.concurrencylab.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's chromium + chromium-driver, installed by {@code .ci/install-tools}) for
 * web UI tests. One per test class: open it in {@code @BeforeAll}, close it in {@code @AfterAll}. The driver
 * is given explicitly and Selenium Manager is kept offline, so nothing is downloaded.
 */
public final class Browser implements AutoCloseable {

  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Starts the browser. In CI Chromium is always installed; on a developer machine without it the test is
   * skipped rather than failed (set {@code LAB_REQUIRE_BROWSER=true} to fail instead).
   */
  public static Browser open() {
    boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    if (!present && "true".equals(System.getenv("LAB_REQUIRE_BROWSER"))) {
      throw new IllegalStateException("Chromium is required: run .ci/install-tools");
    }
    Assumptions.assumeTrue(present, "Chromium and chromedriver are not installed (.ci/install-tools installs them)");
    System.setProperty("SE_OFFLINE", "true");
    try {
      Path profile = Files.createTempDirectory("lab-chromium");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--window-size=1280,900", "--user-data-dir=" + profile);
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
      return new Browser(new ChromeDriver(service, options), profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WebDriver driver() {
    return driver;
  }

  /** The browser console's errors since the last call (SEVERE entries). */
  public List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
      .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
      .map(LogEntry::getMessage)
      .toList();
  }

  /** Saves a PNG screenshot of the page (for docs/). */
  public void screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temp profile is harmless
    }
  }
}
