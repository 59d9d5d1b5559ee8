package dev.postbackrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.postbackrelay.localruntime.RunningStack;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: one local stack fed a scripted mix (an attributed postback and
 * its duplicate, a refusal for an unsubstituted macro, a conversion whose affiliate is unreachable
 * and goes dead on a one-step retry schedule), the console in-process against it, and headless
 * Chromium (Debian's chromium and chromedriver) through every page. Each page is screenshotted
 * under {@code target/console-screenshots/}, and the browser log holds no JavaScript error.
 * Skipped where Chromium or its driver is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

  private static final String ADMIN_TOKEN = "console-admin-token";
  private static final String TOKEN = "console-s3cret-token";
  private static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("console.chromedriver", "/usr/bin/chromedriver"));
  private static final Path SHOTS = Path.of("target/console-screenshots");
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunningStack stack;
  private AdminClient admin;
  private HttpServer affiliate;
  private ConsoleServer console;
  private ChromeDriver browser;
  private WebDriverWait wait;
  private String clickA1;
  private String clickA1Unused;
  private final List<String> jsErrors = new ArrayList<>();
  private final List<String> pagesVisited = new ArrayList<>();
  private int checks;
  private long started;

  @BeforeAll
  void startStackConsoleAndBrowser() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the console's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
            + " (Debian: apt-get install chromium chromium-driver); skipped");
    started = System.nanoTime();
    affiliate = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    affiliate.createContext("/", exchange -> {
      try (exchange) {
        exchange.sendResponseHeaders(200, 2);
        exchange.getResponseBody().write("ok".getBytes());
      }
    });
    affiliate.start();
    // one retry after 1 s, then dead: the unreachable affiliate's delivery is dead within seconds
    stack = RunningStack.start(ADMIN_TOKEN, Map.of("LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2",
        "RELAY_DELIVERY_RETRY_SCHEDULE", "1s"), Duration.ofSeconds(180));
    admin = new AdminClient(Target.url(stack.baseUrl(), ADMIN_TOKEN));
    sendTheMix();
    console = ConsoleServer.start(admin, 0);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
        "--user-data-dir=" + Files.createTempDirectory("console-chromium-"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  void stopEverything() {
    if (browser != null) {
      browser.quit();
    }
    if (console != null) {
      console.close();
    }
    if (stack != null) {
      stack.close();
    }
    if (affiliate != null) {
      affiliate.stop(0);
    }
    System.out.printf("console browser test: %d pages visited %s, %d checks, %d JavaScript errors, %.1f s%n",
        pagesVisited.size(), pagesVisited, checks, jsErrors.size(), (System.nanoTime() - started) / 1e9);
  }

  private void sendTheMix() throws Exception {
    put("c-shop", """
        {"landing_url":"https://shop.example/lp?cid={click_id}","postback_token":"%s",
         "affiliates":{"a1":{"postback_url":"http://127.0.0.1:%d/pb?c={click_id}&p={payout}"},
                       "a2":{"postback_url":"http://127.0.0.1:1/pb?c={click_id}&p={payout}"}}}
        """.formatted(TOKEN, affiliate.getAddress().getPort()));
    put("c-idle", """
        {"landing_url":"https://idle.example/lp?cid={click_id}","postback_token":"%s","affiliates":{"a9":{}}}
        """.formatted(TOKEN));
    clickA1 = click("a1");
    clickA1Unused = click("a1");
    click("a1");
    String clickA2 = click("a2");
    assertEquals(200, postback("click_id=" + clickA1 + "&event=sale&txid=T1&payout=2.5&amount=10&token=" + TOKEN));
    assertEquals(200, postback("click_id=" + clickA1 + "&event=sale&txid=T1&payout=2.5&amount=10&token=" + TOKEN));
    assertEquals(400, postback("campaign_id=c-shop&click_id=%7Bclickid%7D&event=sale&token=" + TOKEN));
    assertEquals(200, postback("click_id=" + clickA2 + "&event=sale&txid=T2&payout=3&token=" + TOKEN));
    // attribution, the deliveries and the retry run asynchronously: poll the logs, bounded
    awaitAdmin("/admin/deliveries?campaign_id=c-shop&outcome=dead", items -> items.size() == 1);
    awaitAdmin("/admin/deliveries?campaign_id=c-shop&outcome=delivered", items -> items.size() == 1);
    awaitAdmin("/admin/postbacks?campaign_id=c-shop", items -> items.toString().contains("\"duplicate\""));
    awaitReportsWhereServed();
  }

  /** Where the relay serves reports, their stats follow the tracking table's stream: wait until they count the mix. */
  private void awaitReportsWhereServed() throws Exception {
    for (long end = System.nanoTime() + Duration.ofSeconds(60).toNanos(); System.nanoTime() < end; ) {
      AdminClient.Response r = admin.exchange("GET", "/admin/reports?group_by=campaign&campaign_id=c-shop", null);
      if (r.status() == 404) {
        return; // no reports route: the console counts from the lists
      }
      JsonNode totals = r.json().path("totals");
      if (totals.path("clicks").asInt() == 4 && totals.path("conversions").asInt() == 2) {
        return;
      }
      Thread.sleep(250); // paces the poll
    }
    throw new AssertionError("the reports never counted the 4 clicks and 2 conversions");
  }

  @Test
  @Order(1)
  void overview_chartsSevenDays_andShowsTheTopCampaign_andTheRefusalByReason() throws Exception {
    browser.get(console.url()); // the printed URL: session cookie, then redirected to the page
    awaitReady("overview");
    assertFalse(browser.getCurrentUrl().contains("session="), "the session left the address bar");
    WebElement chart = browser.findElement(By.id("overview-chart"));
    check("7".equals(chart.getAttribute("data-series-points")), "the chart has a point per day of the 7");
    check(!browser.findElements(By.cssSelector("#overview-chart canvas")).isEmpty(), "uPlot drew the chart");
    check("4".equals(text("[data-total=clicks]")), "4 clicks: " + text("[data-total=clicks]"));
    check("2".equals(text("[data-total=conversions]")), "2 conversions: " + text("[data-total=conversions]"));
    check("5.50".equals(text("[data-total=payout]")), "payout 2.5 + 3: " + text("[data-total=payout]"));
    check(text("[data-table=top-campaigns] tbody tr").startsWith("c-shop"), "c-shop tops the campaigns");
    check(text("[data-table=refused] tbody").contains("unsubstituted_macro 1"), text("[data-table=refused]"));
    shot("overview");
  }

  @Test
  @Order(2)
  void postbackLog_showsTheRefusalWithItsReason_filters_andExplainsADryRun() throws Exception {
    go("#/postbacks?campaign_id=c-shop", "postbacks");
    WebElement refused = browser.findElement(By.cssSelector("tr[data-reason=unsubstituted_macro]"));
    check(refused.getText().contains("Refused with unsubstituted_macro"), refused.getText());
    check(!browser.findElements(By.cssSelector("tr[data-decision=duplicate]")).isEmpty(), "the duplicate is listed");
    check(!browser.findElements(By.cssSelector("tr[data-decision=attributed]")).isEmpty(), "the attributed ones too");
    WebElement details = browser.findElement(By.cssSelector("tr[data-reason=unsubstituted_macro] + tr details"));
    details.findElement(By.tagName("summary")).click();
    check(details.findElement(By.cssSelector("[data-table=raw]")).getText().contains("{clickid}"),
        "the raw parameters show the macro as sent");
    check(details.findElement(By.cssSelector("[data-table=parsed]")).getText().contains("click_id"),
        "and the fields read");

    new Select(browser.findElement(By.id("pb-decision"))).selectByValue("refused");
    submit(browser.findElement(By.cssSelector("form.filters button[type=submit]")), "postbacks");
    List<WebElement> rows = browser.findElements(By.cssSelector("[data-table=postbacks] tbody tr[data-kind]"));
    check(!rows.isEmpty() && rows.stream().allMatch(r -> "refused".equals(r.getAttribute("data-kind"))),
        "the decision filter keeps the refusals only");

    browser.findElement(By.id("dry-url")).sendKeys("https://relay.example/postback?click_id=" + clickA1
        + "&event=sale&txid=T1&payout=2.5&token=" + TOKEN);
    browser.findElement(By.cssSelector(".dry-run button[type=submit]")).click();
    WebElement verdict = wait.until(d -> d.findElements(By.cssSelector("[data-verdict]")).stream().findFirst()
        .orElse(null));
    check("accepted".equals(verdict.getAttribute("data-verdict")), verdict.getText());
    check("duplicate".equals(browser.findElement(By.cssSelector("[data-attribution]"))
        .getAttribute("data-attribution")),
        "the dry run says it would be a duplicate");
    check("passed".equals(browser.findElement(By.cssSelector("[data-check=token]")).getAttribute("data-result")),
        "the token check passed");
    check(!browser.getPageSource().contains(TOKEN) || browser.findElement(By.id("dry-url")).getAttribute("value")
        .contains(TOKEN), "the token shows nowhere but in the box it was typed into");
    shot("postbacks");
  }

  @Test
  @Order(3)
  void clickStory_showsTheConversion_itsHistory_itsDelivery_andThePostbacksThatNamedIt() throws Exception {
    go("#/clicks/" + clickA1, "clicks");
    WebElement conversion = browser.findElement(By.cssSelector("article[data-conversion='sale#T1']"));
    check(conversion.getText().contains("2.50 USD") || conversion.getText().contains("2.5 USD"), conversion.getText());
    check(conversion.findElement(By.cssSelector("[data-table=history] tbody")).getText().contains("new -> "),
        "the status history starts with the new conversion");
    String deliveries = conversion.findElement(By.cssSelector("[data-table=click-deliveries] tbody")).getText();
    check(deliveries.contains("affiliate:a1") && deliveries.contains("Delivered"), deliveries);
    String requests = text("[data-table=click-requests] tbody");
    check(requests.contains("GET http://127.0.0.1:" + affiliate.getAddress().getPort() + "/pb?c=" + clickA1)
        && requests.contains("HTTP 200"), requests);
    check(browser.findElements(By.cssSelector("[data-table=click-postbacks] tbody tr")).size() == 2,
        "the postback and its duplicate named the click");
    shot("click-story");
  }

  @Test
  @Order(4)
  void campaigns_listEditWithAValidationErrorAtTheField_roundTripKeepingTheSecret_pauseAndPostbackUrls()
      throws Exception {
    go("#/campaigns", "campaigns");
    check(text("[data-table=campaigns]").contains("c-idle"), "both campaigns listed");
    browser.findElement(By.linkText("c-shop")).click();
    awaitReady("campaigns");
    check(browser.findElements(By.cssSelector("[data-table=postback-urls] tbody tr")).size() > 3,
        "a postback URL per network");
    WebElement copy = browser.findElement(By.cssSelector("[data-table=postback-urls] button"));
    copy.click();
    WebElement copied = copy.findElement(By.xpath("following-sibling::span[@role='status']"));
    wait.until(d -> !copied.getText().isEmpty());
    check(copied.getText().equals("Copied.") || copied.getText().startsWith("Selected"), copied.getText());
    check("********".equals(browser.findElement(By.id("f-postback_token")).getAttribute("value")),
        "the token is masked in the form");

    WebElement window = browser.findElement(By.id("f-attribution_window_days"));
    window.clear();
    window.sendKeys("0");
    browser.findElement(By.cssSelector("#pane-form button[type=submit]")).click();
    WebElement error = wait.until(d -> {
      WebElement e = d.findElement(By.id("f-attribution_window_days-error"));
      return e.getText().isEmpty() ? null : e;
    });
    check(error.getText().contains("attribution_window_days"), "the API's 400 next to its field: " + error.getText());
    check("true".equals(browser.findElement(By.id("f-attribution_window_days")).getAttribute("aria-invalid")),
        "the field is marked invalid for screen readers");
    window = browser.findElement(By.id("f-attribution_window_days"));
    window.clear();
    window.sendKeys("45");
    WebElement save = browser.findElement(By.cssSelector("#pane-form button[type=submit]"));
    save.click();
    wait.until(ExpectedConditions.stalenessOf(save)); // saved: the campaign is drawn again from the PUT's answer
    check("45".equals(browser.findElement(By.id("f-attribution_window_days")).getAttribute("value")),
        "the form shows what was stored");
    JsonNode stored = admin.send("GET", "/admin/campaigns/c-shop", null).json();
    check(stored.path("attribution_window_days").asInt() == 45, stored.toString());
    check(stored.path("affiliates").path("a2").path("postback_url").asText().startsWith("http://127.0.0.1:1/"),
        "the rest round-tripped");
    check(postback("click_id=" + clickA1Unused + "&event=lead&token=" + TOKEN) == 200,
        "the masked token kept the stored one: a postback with it is still accepted");

    browser.findElement(By.id("tab-json")).click();
    WebElement json = browser.findElement(By.id("f-json"));
    check(json.getAttribute("value").contains("\"postback_token\": \"********\""), "the JSON shows the token masked");
    WebElement saveJson = browser.findElement(By.cssSelector("#pane-json button[type=submit]"));
    saveJson.click();
    wait.until(ExpectedConditions.stalenessOf(saveJson));
    check(postback("click_id=" + clickA1Unused + "&event=lead&txid=L2&token=" + TOKEN) == 200,
        "the JSON, saved as shown, kept the token too");

    browser.findElement(By.xpath("//button[text()='Pause']")).click();
    wait.until(d -> !d.findElements(By.cssSelector("[data-status=paused]")).isEmpty());
    check("paused".equals(admin.send("GET", "/admin/campaigns/c-shop", null).json().path("status").asText()),
        "paused through the API");
    shot("campaign");
    browser.findElement(By.xpath("//button[text()='Activate']")).click();
    wait.until(d -> !d.findElements(By.cssSelector("[data-status=active]")).isEmpty());
    check("active".equals(admin.send("GET", "/admin/campaigns/c-shop", null).json().path("status").asText()),
        "active again");
  }

  @Test
  @Order(5)
  void deliveries_listTheDeadOne_replayItAndRetryOne() throws Exception {
    go("#/deliveries?campaign_id=c-shop", "deliveries");
    check(!browser.findElements(By.cssSelector("tr[data-outcome=dead]")).isEmpty(), "the dead delivery is listed");
    check(browser.findElements(By.cssSelector("tr[data-outcome=delivered]")).isEmpty(), "failures only by default");
    check(text("tr[data-outcome=dead]").contains("connect_refused"), text("tr[data-outcome=dead]"));
    browser.findElement(By.id("replay-dead")).click();
    WebElement result = wait.until(d -> {
      WebElement r = d.findElement(By.id("replay-result"));
      return r.getAttribute("data-replayed") == null ? null : r;
    });
    check("1".equals(result.getAttribute("data-replayed")), "one dead delivery replayed: " + result.getText());
    shot("deliveries");
    browser.findElement(By.cssSelector("tr[data-outcome=dead] button")).click();
    WebElement retried = wait.until(d -> {
      WebElement r = d.findElement(By.cssSelector("tr[data-outcome=dead] [data-retry-result]"));
      return r.getText().isEmpty() ? null : r;
    });
    check(retried.getText().contains("Queued again"), retried.getText());
  }

  @Test
  @Order(6)
  void reports_showTheTableWithTotals_orSayTheRelayHasNone() throws Exception {
    go("#/reports", "reports");
    boolean available = browser.findElements(By.cssSelector("[data-reports=unavailable]")).isEmpty();
    if (available) {
      check("4".equals(text("[data-totals] [data-col=clicks]")),
          "the totals count the 4 clicks: " + text("[data-totals]"));
      check(!text("[data-totals] [data-col=conversions]").isEmpty(), "and the conversions");
      browser.findElement(By.id("csv")).click();
      wait.until(d -> d.findElement(By.cssSelector("#report [role=status]")).getText().startsWith("Downloaded"));
    } else {
      check(text("[data-reports=unavailable]").contains("404"), "a relay without reports says so");
    }
    shot("reports");
  }

  @Test
  @Order(7)
  void noPage_loggedAJavaScriptError() {
    collectLog();
    assertTrue(jsErrors.isEmpty(), "JavaScript errors: " + jsErrors);
    check(pagesVisited.size() == 6, "every page was visited: " + pagesVisited);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void go(String hash, String page) {
    ((JavascriptExecutor) browser).executeScript(
        "document.getElementById('main').setAttribute('data-state', 'stale'); location.hash = arguments[0];", hash);
    awaitReady(page);
  }

  private void submit(WebElement button, String page) {
    ((JavascriptExecutor) browser).executeScript(
        "document.getElementById('main').setAttribute('data-state', 'stale');");
    button.click();
    awaitReady(page);
  }

  private void awaitReady(String page) {
    wait.until(d -> {
      WebElement main = d.findElement(By.id("main"));
      String state = main.getAttribute("data-state");
      if ("error".equals(state)) {
        throw new AssertionError("the " + page + " page failed: " + main.getText());
      }
      return "ready".equals(state) && page.equals(main.getAttribute("data-page"));
    });
    if (!pagesVisited.contains(page)) {
      pagesVisited.add(page);
    }
    collectLog();
  }

  /** SEVERE browser entries but for the network's own lines (an API's 4xx is an answer the page shows). */
  private void collectLog() {
    for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("Failed to load resource")) {
        jsErrors.add(e.getMessage());
      }
    }
  }

  private String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText().replaceAll("\\s+", " ").trim();
  }

  private void check(boolean holds, String what) {
    assertTrue(holds, what);
    checks++;
  }

  private void shot(String name) throws Exception {
    File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(file.toPath(), SHOTS.resolve(String.format("%02d-%s.png", pagesVisited.size(), name)),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private void put(String id, String body) throws RelayException {
    admin.send("PUT", "/admin/campaigns/" + id, body);
  }

  private String click(String affiliateId) throws Exception {
    AdminClient.Response r = admin.exchange("GET", "/click?campaign_id=c-shop&affiliate_id=" + affiliateId, null);
    String location = r.headers().get("location").get(0);
    return location.substring(location.indexOf("cid=") + 4);
  }

  private int postback(String query) throws RelayException {
    return admin.exchange("GET", "/postback?" + query, null).status();
  }

  private void awaitAdmin(String path, Predicate<List<JsonNode>> done) throws Exception {
    List<JsonNode> items = List.of();
    for (long end = System.nanoTime() + Duration.ofSeconds(60).toNanos(); System.nanoTime() < end; ) {
      items = new ArrayList<>();
      admin.send("GET", path, null).json().path("items").forEach(items::add);
      if (done.test(items)) {
        return;
      }
      Thread.sleep(250); // paces the poll
    }
    throw new AssertionError(path + " never reached the expected state: " + items + "\n" + stack.output());
  }
}
