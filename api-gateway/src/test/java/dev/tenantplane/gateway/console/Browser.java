package dev.tenantplane.gateway.console;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium, driven through its chromedriver, on the console. The browser may
 * resolve only localhost, so nothing it loads can leave the machine. {@code tenantplane.chromium}
 * and {@code tenantplane.chromedriver} name other binaries.
 */
final class Browser implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ChromeDriver driver;
  private final URL console;

  Browser(URL console) {
    this.console = console;
    String chromium = System.getProperty("tenantplane.chromium", "/usr/bin/chromium");
    String chromedriver = System.getProperty("tenantplane.chromedriver", "/usr/bin/chromedriver");
    for (String binary : List.of(chromium, chromedriver)) {
      if (!Files.isExecutable(Path.of(binary))) {
        throw new IllegalStateException(
            binary + " is missing: install Debian's chromium and chromium-driver");
      }
    }
    ChromeOptions options = new ChromeOptions().setBinary(chromium);
    options.addArguments(
        "--headless=new",
        // Chromium's sandbox refuses to start as root, which the test command runs as.
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
  }

  /** Opens the console at {@code hash} (e.g. {@code #/fleet}). */
  void open(String hash) {
    driver.get(console + hash);
  }

  /** Goes to {@code hash} within the page already open, as a click on a link would. */
  void go(String hash) {
    driver.executeScript("location.hash = arguments[0]", hash);
  }

  void signIn(String token) {
    open("");
    WebElement field = visible("#token");
    field.sendKeys(token);
    click("#sign-in");
    visible("#signed-in-as");
  }

  /** The element matching {@code css} once it is there and shown. */
  WebElement visible(String css) {
    return waitFor(
        css + " shown", () -> driver.findElement(By.cssSelector(css)), WebElement::isDisplayed);
  }

  /**
   * Clicks {@code css} once it is shown and enabled. A live page may replace the element between
   * finding and clicking it (an event arrived): then it is found again.
   */
  void click(String css) {
    waitFor(
        "a click on " + css,
        () -> {
          WebElement element = driver.findElement(By.cssSelector(css));
          if (!element.isDisplayed() || !element.isEnabled()) {
            return false;
          }
          element.click();
          return true;
        },
        clicked -> clicked);
  }

  /** Waits until the button {@code css} is enabled, or disabled. */
  void awaitEnabled(String css, boolean enabled) {
    waitFor(
        css + (enabled ? " enabled" : " disabled"),
        () -> driver.findElement(By.cssSelector(css)).isEnabled(),
        state -> state == enabled);
  }

  /** Waits until the text of {@code css} is {@code text}. */
  void awaitText(String css, String text) {
    waitFor(
        css + " reading '" + text + "'",
        () -> driver.findElement(By.cssSelector(css)).getText(),
        text::equals);
  }

  /**
   * Polls {@code value} until it meets {@code condition}; on time-out the failure tells what the
   * page showed then.
   */
  <T> T waitFor(String what, Callable<T> value, Predicate<T> condition) {
    try {
      return await().atMost(WAIT).ignoreExceptions().until(value, condition::test);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no " + what + " within " + WAIT + "; " + describe(), e);
    }
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  String url() {
    return driver.getCurrentUrl();
  }

  /** Runs {@code script} as an async function in the page and returns what it resolves to. */
  Object run(String script, Object... args) {
    return ((JavascriptExecutor) driver)
        .executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "(async (...args) => {"
                + script
                + "})(...Array.from(arguments).slice(0, -1)).then(done, e => done('error: ' + e));",
            args);
  }

  /** What the tab keeps in its storage, to check that the token is only where it should be. */
  @SuppressWarnings("unchecked")
  Map<String, String> storage(String which) {
    return (Map<String, String>)
        driver.executeScript(
            "const s = window[arguments[0]]; const o = {};"
                + " for (let i = 0; i < s.length; i++) o[s.key(i)] = s.getItem(s.key(i)); return o;",
            which);
  }

  void screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.copy(
          driver.getScreenshotAs(OutputType.FILE).toPath(),
          file,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The address, the visible text and the browser's console log: what a failure should show. */
  String describe() {
    String text;
    try {
      text = driver.findElement(By.tagName("body")).getText();
    } catch (RuntimeException e) {
      text = "(no body: " + e.getMessage() + ")";
    }
    String log =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(entry -> entry.getLevel() + " " + entry.getMessage())
            .collect(Collectors.joining("\n  "));
    return url() + "\n--- page ---\n" + text + "\n--- browser log ---\n  " + log;
  }

  /** Saves a screenshot of what the browser shows now under target/, for a failed test. */
  Path saveFailure(String name) {
    Path file = Path.of("target", "console-failures", name + ".png");
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
