package dev.postbackrelay.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.localruntime.RunningStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code relay} command against a real local stack, found as an operator finds it
 * ({@code --local}, through the file the stack writes): its table, its {@code --json}, and its
 * exit code, errors included.
 */
class RelayCliIT {

  private static final String ADMIN_TOKEN = "cli-admin-token";
  private static final String TOKEN = "cli-s3cret-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RunningStack stack;
  private static Map<String, String> env;
  private static String clickId;

  /** One command's run: its exit code and what it printed. */
  record Run(int exit, String out, String err) {

    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  @BeforeAll
  static void startStack() throws Exception {
    // a failing delivery dies on its second attempt, a second after the first: dead letters to replay
    stack = RunningStack.start(ADMIN_TOKEN, Map.of("LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2",
        "RELAY_DELIVERY_RETRY_SCHEDULE", "1s"), Duration.ofSeconds(120));
    env = Map.of(LocalStackFile.ENV, stack.stackFile().toString());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  static Run relay(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Relay.run(args, env, new PrintWriter(out), new PrintWriter(err));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void campaigns_putListGetPauseArchive_andThePostbackUrls(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("c-cli.json");
    Files.writeString(file, """
        {"landing_url":"https://shop.example.com/lp?cid={click_id}","postback_token":"%s",
         "affiliates":{"a1":{"postback_url":"http://127.0.0.1:1/pb?c={click_id}&p={payout}"}}}""".formatted(TOKEN));

    Run put = relay("campaigns", "put", file.toString());
    assertEquals(0, put.exit(), put.err());
    assertTrue(put.out().contains("stored campaign c-cli (active)"), put.out());

    Run list = relay("campaigns", "list", "--local");
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().startsWith("CAMPAIGN"), list.out());
    assertTrue(list.out().lines().anyMatch(l -> l.startsWith("c-cli ") && l.contains("active")), list.out());
    JsonNode listed = relay("campaigns", "list", "--json").json();
    assertTrue(listed.path("items").findValuesAsText("campaign_id").contains("c-cli"));

    Run get = relay("campaigns", "get", "c-cli");
    assertEquals("********", JSON.readTree(get.out()).path("postback_token").asText(), "secrets stay masked");
    assertFalse(get.out().contains(TOKEN));

    Run urls = relay("campaigns", "postback-urls", "c-cli");
    assertEquals(0, urls.exit(), urls.err());
    assertTrue(urls.out().contains("Everflow") && urls.out().contains("Keitaro"), urls.out());

    Path other = dir.resolve("c-cli-paused.json");
    Files.writeString(other, "{\"landing_url\":\"https://shop.example.com/lp?cid={click_id}\",\"postback_token\":\"second-token\","
        + "\"affiliates\":{\"a1\":{}}}");
    Run putOther = relay("campaigns", "put", other.toString());
    assertEquals(0, putOther.exit(), putOther.err());
    Run pause = relay("campaigns", "pause", "c-cli-paused");
    assertEquals("campaign c-cli-paused is paused", pause.out().strip(), pause.err());
    Run archive = relay("campaigns", "archive", "c-cli-paused");
    assertEquals("campaign c-cli-paused is archived", archive.out().strip(), archive.err());
    assertEquals(410, stack.send("GET", "/click?campaign_id=c-cli-paused&affiliate_id=a1", null, null).statusCode(),
        "archived: new clicks are refused");
    assertEquals("********", JSON.readTree(relay("campaigns", "get", "c-cli-paused").out()).path("postback_token")
        .asText(), "pausing kept the stored token (sent back masked)");
  }

  @Test
  void postbacks_listTailAndDryRun_showEachFate() throws Exception {
    ensureTraffic();
    Run list = relay("postbacks", "list", "--campaign", "c-cli");
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().startsWith("RECEIVED"), list.out());
    assertTrue(list.out().contains("unsubstituted_macro"), list.out());
    assertTrue(list.out().contains("attributed"), list.out());
    JsonNode json = relay("postbacks", "list", "--campaign", "c-cli", "--decision", "refused", "--json").json();
    assertEquals(List.of("unsubstituted_macro"), json.path("items").findValuesAsText("reason"));

    // tail: follows; a postback sent while it runs shows up
    CompletableFuture<Run> tail = CompletableFuture.supplyAsync(() ->
        relay("postbacks", "tail", "--campaign", "c-cli", "--interval", "300ms", "--for", "6s"));
    Thread.sleep(1500);
    assertEquals(403, get("/postback?click_id=" + clickId + "&token=wrong-token").statusCode());
    Run followed = tail.get();
    assertEquals(0, followed.exit(), followed.err());
    assertTrue(followed.out().contains("bad_token"), "the new refusal was followed: " + followed.out());
    assertTrue(followed.out().contains("unsubstituted_macro"), "the recent ones come first: " + followed.out());

    Run dry = relay("postbacks", "dry-run", "https://relay.example/postback?clickid=" + clickId
        + "&goal=lead&key=" + TOKEN);
    assertEquals(0, dry.exit(), dry.err());
    assertTrue(dry.out().startsWith("verdict: accepted (the edge would answer 200)"), dry.out());
    assertTrue(dry.out().lines().anyMatch(l -> l.matches("click_id +clickid +.*")), dry.out());
    assertTrue(dry.out().contains("attribution: attributed"), dry.out());
    assertFalse(dry.out().contains(TOKEN), "the token is masked");
    Run refused = relay("postbacks", "dry-run", "click_id={clickid}&campaign_id=c-cli");
    assertTrue(refused.out().startsWith("verdict: refused (the edge would answer 400 unsubstituted_macro"), refused.out());
  }

  @Test
  void clicksShow_tellsTheClicksStory() throws Exception {
    ensureTraffic();
    Run story = relay("clicks", "show", clickId);
    assertEquals(0, story.exit(), story.err());
    assertTrue(story.out().startsWith("click " + clickId + "  campaign c-cli"), story.out());
    assertTrue(story.out().contains("sale T1  approved"), story.out());
    assertTrue(story.out().contains("attributed"), story.out());
    assertEquals(clickId, relay("clicks", "show", clickId, "--json").json().path("click").path("click_id").asText());
  }

  @Test
  void deliveries_listRetryAndReplayTheDead() throws Exception {
    ensureTraffic();
    List<JsonNode> dead = new ArrayList<>();
    for (long end = System.nanoTime() + Duration.ofSeconds(40).toNanos(); dead.isEmpty() && System.nanoTime() < end; ) {
      relay("deliveries", "list", "--campaign", "c-cli", "--outcome", "dead", "--json").json().path("items")
          .forEach(dead::add);
      Thread.sleep(500); // paces the poll: the second attempt comes a second after the first
    }
    assertFalse(dead.isEmpty(), "the unreachable affiliate's delivery died");
    Run table = relay("deliveries", "list", "--campaign", "c-cli");
    assertTrue(table.out().startsWith("AT") && table.out().contains("dead") && table.out().contains("retrying"),
        table.out());

    Run retry = relay("deliveries", "retry", dead.get(0).path("delivery_id").asText());
    assertEquals(0, retry.exit(), retry.err());
    assertTrue(retry.out().contains("last outcome: dead"), retry.out());

    Run replay = relay("deliveries", "replay-dead", "--max", "5");
    assertEquals(0, replay.exit(), replay.err());
    assertTrue(replay.out().contains("] ") && replay.out().contains("replayed "), replay.out());
  }

  @Test
  void reports_asATable_asJson_andAsCsv(@TempDir Path dir) throws Exception {
    ensureTraffic();
    JsonNode report = null;
    // the stats function reads the table's stream: the report follows within seconds
    for (long end = System.nanoTime() + Duration.ofSeconds(60).toNanos(); System.nanoTime() < end; ) {
      report = relay("reports", "--campaign", "c-cli", "--group-by", "campaign,affiliate", "--json").json();
      if (report.path("totals").path("conversions").asInt() >= 1) {
        break;
      }
      Thread.sleep(500); // paces the poll
    }
    assertTrue(report.path("totals").path("clicks").asInt() >= 1, report.toString());
    assertEquals(1, report.path("totals").path("conversions").asInt(), report.toString());
    Run table = relay("reports", "--campaign", "c-cli", "--group-by", "campaign,affiliate");
    assertEquals(0, table.exit(), table.err());
    assertTrue(table.out().startsWith("CAMPAIGN  AFFILIATE"), table.out());
    assertTrue(table.out().lines().anyMatch(l -> l.startsWith("c-cli ") && l.contains("a1")), table.out());
    assertTrue(table.out().contains("totals: "), table.out());
    Path csv = dir.resolve("report.csv");
    Run written = relay("reports", "--campaign", "c-cli", "--group-by", "day", "--csv", csv.toString());
    assertEquals(0, written.exit(), written.err());
    List<String> lines = Files.readAllLines(csv);
    assertTrue(lines.get(0).startsWith("day,"), lines.toString());
    assertTrue(lines.size() >= 2, lines.toString());
    Run badGroup = relay("reports", "--group-by", "planet");
    assertEquals(RelayException.INVALID, badGroup.exit(), badGroup.err());
  }

  @Test
  void errors_sayWhatToCheck_withTheirExitCodes(@TempDir Path dir) throws Exception {
    Run unreachable = relay("--url", "http://127.0.0.1:1", "--token", "x", "campaigns", "list");
    assertEquals(RelayException.UNREACHABLE, unreachable.exit());
    assertTrue(unreachable.err().contains("cannot reach"), unreachable.err());

    Run badToken = relay("--url", stack.baseUrl(), "--token", "wrong", "campaigns", "list");
    assertEquals(RelayException.UNAUTHORIZED, badToken.exit());
    assertTrue(badToken.err().contains("401") && badToken.err().contains("admin token"), badToken.err());

    Run missing = relay("campaigns", "get", "no-such-campaign");
    assertEquals(RelayException.NOT_FOUND, missing.exit(), missing.err());

    Path invalid = dir.resolve("bad.json");
    Files.writeString(invalid, "{\"landing_url\":\"https://x.example\",\"attribution_window_days\":\"thirty\"}");
    Run refused = relay("campaigns", "put", invalid.toString());
    assertEquals(RelayException.INVALID, refused.exit());
    assertTrue(refused.err().contains("invalid_campaign"), refused.err());

    Run badFilter = relay("postbacks", "list", "--campaign", "c-cli", "--limit", "9999");
    assertEquals(RelayException.INVALID, badFilter.exit());
    assertTrue(badFilter.err().contains("limit"), badFilter.err());

    Run usage = relay("campaigns", "frobnicate");
    assertEquals(2, usage.exit());
    Run noStack = relay("campaigns", "list", "--local");
    assertEquals(0, noStack.exit());
    env = Map.of(LocalStackFile.ENV, dir.resolve("none.json").toString());
    try {
      Run none = relay("campaigns", "list");
      assertEquals(RelayException.UNREACHABLE, none.exit());
      assertTrue(none.err().contains("no local stack is running"), none.err());
    } finally {
      env = Map.of(LocalStackFile.ENV, stack.stackFile().toString());
    }
    for (String[] help : List.of(new String[] {"--help"}, new String[] {"postbacks", "tail", "--help"},
        new String[] {"deliveries", "replay-dead", "--help"}, new String[] {"reports", "--help"})) {
      Run h = relay(help);
      assertEquals(0, h.exit(), String.join(" ", help));
      assertTrue(h.out().startsWith("Usage: relay"), h.out());
    }
  }

  /** One click on c-cli with an accepted postback and a refused one, made once for every test. */
  private static synchronized void ensureTraffic() throws Exception {
    if (clickId != null) {
      return;
    }
    if (relay("campaigns", "get", "c-cli").exit() != 0) {
      Files.writeString(Path.of(System.getProperty("java.io.tmpdir"), "c-cli.json"), """
          {"landing_url":"https://shop.example.com/lp?cid={click_id}","postback_token":"%s",
           "affiliates":{"a1":{"postback_url":"http://127.0.0.1:1/pb?c={click_id}&p={payout}"}}}""".formatted(TOKEN));
      assertEquals(0, relay("campaigns", "put", System.getProperty("java.io.tmpdir") + "/c-cli.json").exit());
    }
    String location = stack.send("GET", "/click?campaign_id=c-cli&affiliate_id=a1&sub1=s1", null, null).headers()
        .firstValue("location").orElseThrow();
    clickId = location.substring(location.indexOf("cid=") + 4);
    assertEquals(200, get("/postback?click_id=" + clickId + "&event=sale&txid=T1&payout=2&token=" + TOKEN).statusCode());
    assertEquals(400, get("/postback?campaign_id=c-cli&click_id=%7Bclickid%7D&token=" + TOKEN).statusCode());
    stack.awaitIdle(Duration.ofSeconds(60));
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return stack.send("GET", pathAndQuery, null, null);
  }
}
