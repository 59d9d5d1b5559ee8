package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The received-postbacks log through the local stack, as an operator uses it: a mix of accepted,
 * duplicate and refused postbacks (each refusal kind the edge gives), and a flood of refusals past
 * the per-minute cap, all found again through {@code GET /admin/postbacks} with their fate, the
 * flood as capped records plus a counter. Its own stack: the cap counts per source address, and
 * every request here comes from 127.0.0.1.
 */
class OperatorLogsIT {

  private static final String ADMIN_TOKEN = "logs-admin-token";
  private static final String TOKEN = "logs-s3cret-token";
  private static final int CAP = 20;
  private static final int FLOOD = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RunningStack stack;
  private static String clickId;
  private static Instant start;

  @BeforeAll
  static void startStackAndSendTheMix() throws Exception {
    stack = RunningStack.start(ADMIN_TOKEN, Map.of("LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2",
        "RELAY_LOG_REFUSED_PER_MINUTE", Integer.toString(CAP)), Duration.ofSeconds(120));
    start = Instant.now().minusSeconds(1);
    assertEquals(200, send("PUT", "/admin/campaigns/c-logs", """
        {"landing_url":"https://example.com/lp?cid={click_id}","postback_token":"%s","affiliates":{"a1":{}}}
        """.formatted(TOKEN)).statusCode());
    HttpResponse<String> click = send("GET", "/click?campaign_id=c-logs&affiliate_id=a1", null);
    String location = click.headers().firstValue("location").orElseThrow();
    clickId = location.substring(location.indexOf("cid=") + 4);

    assertStatus(200, "/postback?click_id=" + clickId + "&txid=T1&payout=2&token=" + TOKEN);
    assertStatus(200, "/postback?click_id=" + clickId + "&txid=T1&payout=2&token=" + TOKEN);
    assertStatus(403, "/postback?clickid=" + clickId + "&token=wrong-token");
    assertStatus(400, "/postback?campaign_id=c-logs&click_id=%7Bclickid%7D&token=" + TOKEN);
    assertStatus(400, "/postback?campaign_id=c-logs&click_id=not-one-of-ours&token=" + TOKEN);
    assertStatus(404, "/postback?campaign_id=c-nope&click_id=" + clickId + "&token=" + TOKEN);
    assertStatus(400, "/postback?event=sale");
    for (int i = 0; i < FLOOD; i++) {
      assertStatus(404, "/postback?campaign_id=c-flood&click_id=" + clickId + "&token=x");
    }
    stack.awaitIdle(Duration.ofSeconds(60)); // the accepted two attributed: their decisions are in the log
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theCampaignsLog_showsAcceptedWithTheirDecision_andEachRefusalWithWhatArrived() throws Exception {
    List<JsonNode> entries = all("campaign_id=c-logs");
    assertEquals(List.of("malformed_click_id", "unsubstituted_macro", "bad_token"),
        entries.stream().filter(e -> e.path("kind").asText().equals("refused")).map(e -> e.path("reason").asText())
            .toList(), "newest first");
    List<String> decisions = entries.stream().filter(e -> e.path("kind").asText().equals("accepted"))
        .map(e -> e.path("decision").asText()).toList();
    assertEquals(List.of("duplicate", "attributed"), decisions, "newest first: the duplicate came second");
    JsonNode attributed = entries.stream().filter(e -> "attributed".equals(e.path("decision").asText())).findFirst()
        .orElseThrow();
    assertEquals("[[\"click_id\",\"" + clickId + "\"],[\"txid\",\"T1\"],[\"payout\",\"2\"],[\"token\",\"********\"]]",
        attributed.path("params").toString(), "an accepted postback's parameters as sent, the token masked");
    assertFalse(entries.toString().contains(TOKEN), "the token never shows in the log");

    JsonNode badToken = entries.stream().filter(e -> "bad_token".equals(e.path("reason").asText())).findFirst()
        .orElseThrow();
    assertEquals("c-logs", badToken.path("campaign_id").asText(), "filed under the campaign of its click");
    assertEquals("clickid", badToken.path("fields").path("click_id").path("read_from").asText());
    assertTrue(badToken.path("params").toString().contains("\"********\""), badToken.toString());
    assertFalse(badToken.toString().contains("wrong-token"), "credential values are never shown");
    assertEquals("127.0.0.1", badToken.path("source_ip").asText());
    assertEquals("GET", badToken.path("method").asText());
  }

  @Test
  void refusalsForAnUnknownCampaign_orForNone_areFoundByTheirKeyAndByAddress() throws Exception {
    assertEquals(List.of("unknown_campaign"), reasons(all("campaign_id=c-nope")));
    assertTrue(reasons(all("campaign_id=-")).contains("missing_click_id"));
    List<String> byAddress = reasons(all("source_ip=127.0.0.1&decision=refused"));
    assertTrue(byAddress.containsAll(List.of("bad_token", "unsubstituted_macro", "malformed_click_id",
        "unknown_campaign", "missing_click_id")), byAddress.toString());
  }

  @Test
  void aFloodPastTheCap_isKeptAsCappedRecordsPlusACounterOfTheRest() throws Exception {
    List<JsonNode> flood = all("campaign_id=c-flood");
    long recorded = flood.stream().filter(e -> e.path("kind").asText().equals("refused")).count();
    assertTrue(recorded <= 2L * CAP, "at most the cap per minute is recorded: " + recorded);
    // the counter is written once per 5 s per execution environment: each further refusal (of
    // another kind, so not counted as the flood) gives the function a chance to write it
    long suppressed = 0;
    for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); System.nanoTime() < deadline; ) {
      suppressed = all("source_ip=127.0.0.1&decision=suppressed").stream()
          .mapToLong(e -> e.path("by_reason").path("unknown_campaign").asLong()).sum();
      if (recorded + suppressed >= FLOOD) {
        break;
      }
      assertStatus(400, "/postback?event=sale");
      Thread.sleep(250); // paces the poll: the counter cannot appear sooner than 5 s after the last write
    }
    System.out.printf("flood of %d refusals at a cap of %d per minute: %d recorded, %d counted%n", FLOOD, CAP,
        recorded, suppressed);
    assertEquals(FLOOD, recorded + suppressed, "every refusal of the flood is either recorded or counted");
    assertTrue(suppressed > 0, "the flood went past the cap");
  }

  @Test
  void aFailingDestination_showsInTheSentLog_withItsRequestAndWhyItFailed() throws Exception {
    assertEquals(200, send("PUT", "/admin/campaigns/c-fail", """
        {"landing_url":"https://example.com/lp?cid={click_id}","postback_token":"%s",
         "affiliates":{"a1":{"postback_url":"http://127.0.0.1:1/pb?c={click_id}&p={payout}"}}}
        """.formatted(TOKEN)).statusCode());
    String location = send("GET", "/click?campaign_id=c-fail&affiliate_id=a1", null).headers().firstValue("location")
        .orElseThrow();
    String click = location.substring(location.indexOf("cid=") + 4);
    assertStatus(200, "/postback?click_id=" + click + "&txid=F1&payout=3&token=" + TOKEN);

    List<JsonNode> attempts = List.of();
    // attribution and the first attempt run asynchronously, within seconds: poll the log, bounded
    for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        attempts.isEmpty() && System.nanoTime() < deadline; ) {
      attempts = all("campaign_id=c-fail", "/admin/deliveries");
      if (attempts.isEmpty()) {
        Thread.sleep(200); // paces the poll
      }
    }
    assertEquals(1, attempts.size(), attempts.toString());
    JsonNode attempt = attempts.get(0);
    assertEquals("retrying", attempt.path("outcome").asText());
    assertTrue(attempt.path("url").asText().startsWith("http://127.0.0.1:1/pb?c=" + click + "&p=3"), attempt.toString());
    assertEquals(0, attempt.path("http_status").asInt());
    assertFalse(attempt.path("reason").asText().isEmpty());
    assertFalse(attempt.path("next_retry_at").isNull());
    HttpResponse<String> retry = send("POST", "/admin/deliveries/" + attempt.path("delivery_id").asText() + "/retry", "");
    assertEquals(200, retry.statusCode(), retry.body());
  }

  /**
   * Item 8's agreement through the real stack: each postback is first dry-run, then sent for
   * real; the edge's answer and, once attributed, the decision in the log are what the dry run said.
   */
  @Test
  void theDryRun_saysWhatHappens_whenTheSamePostbackIsThenSentForReal() throws Exception {
    // a campaign of its own: the other tests count c-logs' refusals
    assertEquals(200, send("PUT", "/admin/campaigns/c-dry", """
        {"landing_url":"https://example.com/lp?cid={click_id}","postback_token":"%s","affiliates":{"a1":{}}}
        """.formatted(TOKEN)).statusCode());
    String location = send("GET", "/click?campaign_id=c-dry&affiliate_id=a1", null).headers().firstValue("location")
        .orElseThrow();
    String click = location.substring(location.indexOf("cid=") + 4);
    List<String> postbacks = List.of(
        "/postback?clickid=" + click + "&goal=sale&tid=D1&commission=4&key=" + TOKEN,
        "/postback?clickid=" + click + "&goal=sale&tid=D1&commission=4&key=" + TOKEN,
        "/postback?click_id=" + click + "&event=sale&txid=D1&status=rejected&token=" + TOKEN,
        "/postback?click_id=" + click + "&token=wrong-token",
        "/postback?click_id={clickid}&campaign_id=c-dry",
        "/postback?campaign_id=c-dry&click_id=" + click + "&amount=12,5.0&token=" + TOKEN);
    List<String> seen = new ArrayList<>();
    for (String postback : postbacks) {
      String url = "https://relay.example" + postback;
      HttpResponse<String> dryRun = stack.send("POST", "/admin/postbacks/dry-run", "application/json",
          JSON.createObjectNode().put("url", url).toString());
      assertEquals(200, dryRun.statusCode(), dryRun.body());
      JsonNode run = JSON.readTree(dryRun.body());
      assertFalse(dryRun.body().contains(TOKEN), "the dry run masks the token");

      HttpResponse<String> real = send("GET", postback.replace("{clickid}", "%7Bclickid%7D"), null);
      assertEquals(run.path("answer").path("http_status").asInt(), real.statusCode(), postback + " -> " + real.body());
      if (real.statusCode() != 200) {
        assertEquals(run.path("answer").path("error").asText(), JSON.readTree(real.body()).path("error").asText());
        seen.add(run.path("answer").path("error").asText());
        continue;
      }
      String postbackId = real.headers().firstValue("x-postback-id").orElseThrow();
      stack.awaitIdle(Duration.ofSeconds(60));
      HttpResponse<String> record = send("GET", "/admin/postbacks/" + postbackId, null);
      assertEquals(200, record.statusCode(), record.body());
      String decision = JSON.readTree(record.body()).path("decision").asText();
      assertEquals(run.path("attribution").path("decision").asText(), decision, postback);
      seen.add(decision);
    }
    System.out.println("dry run and real run agreed on: " + seen);
    assertEquals(List.of("attributed", "duplicate", "status_updated", "bad_token", "unsubstituted_macro",
        "invalid_amount"), seen);
  }

  private static List<JsonNode> all(String query) throws Exception {
    return all(query, "/admin/postbacks");
  }

  private static List<JsonNode> all(String query, String route) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      String q = query + "&from=" + URLEncoder.encode(start.toString(), StandardCharsets.UTF_8) + "&limit=7"
          + (next == null ? "" : "&next=" + next);
      HttpResponse<String> response = send("GET", route + "?" + q, null);
      assertEquals(200, response.statusCode(), response.body());
      JsonNode page = JSON.readTree(response.body());
      page.path("items").forEach(out::add);
      next = page.path("next").isNull() ? null : page.path("next").asText();
    } while (next != null && ++pages < 100);
    return out;
  }

  private static List<String> reasons(List<JsonNode> entries) {
    return entries.stream().map(e -> e.path("reason").asText()).toList();
  }

  private static void assertStatus(int status, String pathAndQuery) throws Exception {
    HttpResponse<String> response = send("GET", pathAndQuery, null);
    assertEquals(status, response.statusCode(), pathAndQuery + " -> " + response.body());
  }

  private static HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
    return stack.send(method, pathAndQuery, null, body);
  }
}
