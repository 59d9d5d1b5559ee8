package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Reports through the local stack against what was sent: clicks of two affiliates and several subs,
 * postbacks new, duplicate, changing status (approved, rejected, chargeback), refused, in three
 * currencies converted at the configured rates; {@code GET /admin/reports} must agree to the unit and
 * the cent. {@link ReportsConsistencyIT} runs it on a plain stack, {@link ReportsAfterACrashIT} with the stats function's process halted mid-batch once.
 */
@ResourceLock("ReportsCheck.expected") // the expected numbers are shared: one class at a time
abstract class ReportsCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "rep-s3cret-token";

  /** One expected conversion, in the campaign's currency (USD). */
  record Expected(String affiliate, String sub1, String event, String status, BigDecimal revenue,
      BigDecimal payout) {
    Expected withStatus(String s) {
      return new Expected(affiliate, sub1, event, s, revenue, payout);
    }
  }

  static RunningStack stack;
  private static final Map<String, Integer> CLICKS = new TreeMap<>(); // affiliate|sub1 -> clicks
  private static final Map<String, Expected> CONVERSIONS = new LinkedHashMap<>();

  static void startAndSend(Map<String, String> extraEnv) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(Map.of("RELAY_RATES", "EUR=0.5,GBP=0.8",
        "LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2"));
    env.putAll(extraEnv);
    stack = RunningStack.start("rep-admin-token", env, Duration.ofSeconds(120));
    assertEquals(200, stack.send("PUT", "/admin/campaigns/c-rep", "application/json", """
        {"landing_url":"https://example.com/lp?cid={click_id}","postback_token":"%s",
         "affiliates":{"a1":{},"a2":{}}}
        """.formatted(TOKEN)).statusCode());
    List<String> clicks = new ArrayList<>();
    String[][] sent = {{"a1", "x"}, {"a1", "x"}, {"a1", "x"}, {"a2", "y"}, {"a2", "y"}, {"a1", ""}, {"a2", "z"}};
    for (String[] c : sent) {
      HttpResponse<String> r = stack.send("GET", "/click?campaign_id=c-rep&affiliate_id=" + c[0]
          + (c[1].isEmpty() ? "" : "&sub1=" + c[1]), null, null);
      String location = r.headers().firstValue("location").orElseThrow();
      clicks.add(location.substring(location.indexOf("cid=") + 4));
      CLICKS.merge(c[0] + "|" + c[1], 1, Integer::sum);
    }
    postback(clicks.get(0), "sale", "T1", "pending", "100", "USD", "10");
    postback(clicks.get(0), "sale", "T1", "pending", "100", "USD", "10"); // duplicate
    postback(clicks.get(0), "sale", "T1", "approved", "100", "USD", "10"); // status change
    postback(clicks.get(1), "lead", "L1", "approved", "20", "EUR", "4"); // 40 and 8 USD
    postback(clicks.get(2), "sale", "T2", "pending", "50", "GBP", "5"); // 62.5 and 6.25 USD
    postback(clicks.get(2), "sale", "T2", "rejected", "50", "GBP", "5");
    postback(clicks.get(3), "sale", "T3", "approved", "30.10", "USD", "3.01");
    postback(clicks.get(3), "sale", "T3", "chargeback", "30.10", "USD", "3.01");
    postback(clicks.get(4), "lead", "L2", "pending", "12.34", "USD", "1.23");
    postback(clicks.get(5), "sale", "T4", "approved", "9.99", "EUR", "0.99"); // 19.98 and 1.98 USD
    assertEquals(403, stack.send("GET", "/postback?click_id=" + clicks.get(6) + "&txid=X&token=wrong", null, null)
        .statusCode()); // refused: counts nowhere
    CONVERSIONS.put("T1", new Expected("a1", "x", "sale", "approved", new BigDecimal("100"), new BigDecimal("10")));
    CONVERSIONS.put("L1", new Expected("a1", "x", "lead", "approved", new BigDecimal("40"), new BigDecimal("8")));
    CONVERSIONS.put("T2", new Expected("a1", "x", "sale", "rejected", new BigDecimal("62.5"), new BigDecimal("6.25")));
    CONVERSIONS.put("T3", new Expected("a2", "y", "sale", "chargeback", new BigDecimal("30.10"),
        new BigDecimal("3.01")));
    CONVERSIONS.put("L2", new Expected("a2", "y", "lead", "pending", new BigDecimal("12.34"), new BigDecimal("1.23")));
    CONVERSIONS.put("T4", new Expected("a1", "", "sale", "approved", new BigDecimal("19.98"), new BigDecimal("1.98")));
    stack.awaitIdle(Duration.ofSeconds(90));
  }

  private static void postback(String clickId, String event, String txid, String status, String amount,
      String currency, String payout) throws Exception {
    HttpResponse<String> r = stack.send("GET", "/postback?click_id=" + clickId + "&event=" + event + "&txid=" + txid
        + "&status=" + status + "&amount=" + amount + "&currency=" + currency + "&payout=" + payout + "&token=" + TOKEN,
        null, null);
    assertEquals(200, r.statusCode(), r.body());
    // one at a time: a status change must find its conversion attributed
    stack.awaitIdle(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
    CLICKS.clear();
    CONVERSIONS.clear();
  }

  private static JsonNode report(String query) throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    HttpResponse<String> r = stack.send("GET", "/admin/reports?campaign_id=c-rep&from=" + today.minusDays(1) + "&to="
        + today.plusDays(1) + "&" + query, null, null);
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** The report once the stats have caught up with everything sent (the stream is read every 200 ms). */
  private static JsonNode settled(String query) throws Exception {
    long conversions = CONVERSIONS.size();
    long clicks = CLICKS.values().stream().mapToInt(Integer::intValue).sum();
    JsonNode r = report(query);
    for (int i = 0; i < 300 && (r.path("totals").path("clicks").asLong() != clicks
        || r.path("totals").path("conversions").asLong() != conversions); i++) {
      Thread.sleep(200);
      r = report(query);
    }
    return r;
  }

  private static void assertRow(JsonNode row, List<Expected> expected, int clicks, String where) {
    assertEquals(clicks, row.path("clicks").asInt(), where + " clicks");
    for (String status : List.of("pending", "approved", "rejected", "chargeback")) {
      assertEquals(expected.stream().filter(e -> e.status().equals(status)).count(), row.path(status).asLong(),
          where + " " + status);
    }
    List<Expected> earning = expected.stream().filter(e -> e.status().equals("pending") || e.status().equals("approved"))
        .toList();
    BigDecimal revenue = earning.stream().map(Expected::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal payout = earning.stream().map(Expected::payout).reduce(BigDecimal.ZERO, BigDecimal::add);
    JsonNode usd = row.path("money").path("USD");
    assertEquals(0, revenue.compareTo(new BigDecimal(usd.path("revenue").asText("0"))), where + " revenue " + row);
    assertEquals(0, payout.compareTo(new BigDecimal(usd.path("payout").asText("0"))), where + " payout " + row);
    assertEquals(1, row.path("money").size() <= 1 ? 1 : 0, where + ": one currency, the campaign's: " + row);
  }

  @Test
  void byAffiliateAndEvent_theReportIsWhatWasSent() throws Exception {
    JsonNode r = settled("group_by=affiliate,event");
    assertRow(r.path("totals"), List.copyOf(CONVERSIONS.values()), 7, "totals");
    for (JsonNode row : r.path("rows")) {
      String affiliate = row.path("affiliate").asText();
      String event = row.path("event").isNull() ? null : row.path("event").asText();
      int clicks = event != null ? 0 : CLICKS.entrySet().stream().filter(e -> e.getKey().startsWith(affiliate + "|"))
          .mapToInt(Map.Entry::getValue).sum();
      assertRow(row, CONVERSIONS.values().stream().filter(e -> e.affiliate().equals(affiliate)
          && e.event().equals(event)).toList(), clicks, affiliate + "/" + event);
    }
    assertEquals(2 + 2 + 2, r.path("rows").size(), "clicks and two events for each affiliate: " + r);
  }

  @Test
  void bySub1_theReportIsWhatWasSent() throws Exception {
    JsonNode r = settled("group_by=affiliate,sub1");
    for (JsonNode row : r.path("rows")) {
      String affiliate = row.path("affiliate").asText();
      String sub = row.path("sub1").asText();
      assertRow(row, CONVERSIONS.values().stream().filter(e -> e.affiliate().equals(affiliate)
          && e.sub1().equals(sub)).toList(), CLICKS.getOrDefault(affiliate + "|" + sub, 0), affiliate + "/" + sub);
    }
    assertEquals(CLICKS.size(), r.path("rows").size(), r.toString());
  }

  @Test
  void inCsv_theTotalsAddUp() throws Exception {
    settled("group_by=day");
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    HttpResponse<String> csv = stack.send("GET", "/admin/reports?campaign_id=c-rep&group_by=day,affiliate&format=csv"
        + "&tz=%2B05:30&from=" + today.minusDays(1) + "&to=" + today.plusDays(2), null, null);
    assertEquals(200, csv.statusCode(), csv.body());
    List<String> lines = csv.body().lines().toList();
    assertTrue(lines.get(0).startsWith("day,affiliate,clicks,conversions,pending,approved,rejected,chargeback"),
        lines.get(0));
    int clicks = lines.stream().skip(1).mapToInt(l -> Integer.parseInt(l.split(",")[2])).sum();
    assertEquals(7, clicks, csv.body());
  }

  @Test
  void badQuestionsAreRefusedWithAReason() throws Exception {
    HttpResponse<String> r = stack.send("GET", "/admin/reports?campaign_id=c-rep&tz=%2B05:45", null, null);
    assertEquals(400, r.statusCode());
    assertEquals("invalid_parameter", JSON.readTree(r.body()).path("error").asText());
    assertEquals("tz", JSON.readTree(r.body()).path("parameter").asText());
  }
}
