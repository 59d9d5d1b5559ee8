package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The postback contract and the attribution rules, end to end through the local stack as a user
 * runs it: one stack for the class, driven over HTTP only, with a real HTTP server standing in for
 * the affiliates. Synchronous rejections are checked on the reply; attribution decisions are read
 * back through {@code GET /admin/postbacks/{id}} and {@code GET /admin/clicks/{id}}; after each test
 * a check that the affiliate received exactly one delivery per conversion state, no more. The tests
 * share the stack and its campaigns, make their own clicks, and run in any order.
 */
@Timeout(60)
class PostbackMatrixIT {

  private static final String ADMIN_TOKEN = "matrix-admin-token";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Click-id MAC keys: the stack issues with the first; the second is a previous key still accepted. */
  private static final byte[] CURRENT_KEY = randomBytes(32);
  private static final byte[] PREVIOUS_KEY = randomBytes(32);
  private static final byte[] UNKNOWN_KEY = randomBytes(32);

  private static final String MX = "mx";
  private static final String MX_TOKEN = "mx-token-123";
  private static final String NO_REPEAT = "norepeat";
  private static final String NO_REPEAT_TOKEN = "norepeat-token-1";
  private static final String FAST = "fast";
  private static final String FAST_TOKEN = "fast-token-1";
  private static final String IP_LIMITED = "iplimited";
  private static final String IP_LIMITED_TOKEN = "iplimited-token-1";
  private static final String SIGNED = "signed";
  private static final String SIGNED_TOKEN = "signed-token-1";
  private static final String SIGNING_SECRET = "matrix-signing-secret-0123456789";
  private static final String TX_CLICK = "txclick";
  private static final String TX_CLICK_TOKEN = "txclick-token-1";
  private static final String OTHER = "other";
  private static final String OTHER_TOKEN = "other-token-1";
  private static final String LIFETIME = "lifetime";
  private static final String LIFETIME_TOKEN = "lifetime-token-1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** What the affiliate's server received. */
  record Received(String method, URI uri, String idempotencyKey) {

    Map<String, String> query() {
      return AffiliateServer.query(uri.getRawQuery());
    }
  }

  private static final ConcurrentLinkedQueue<Received> RECEIVED = new ConcurrentLinkedQueue<>();
  /** Per click id the tests so far made: the deliveries ("event txid status") its conversions must cause. */
  private static final Map<String, List<String>> EXPECTED_DELIVERIES = new ConcurrentHashMap<>();
  /** The click ids the running test made or expects deliveries for. */
  private static final Set<String> CLICKS_OF_THIS_TEST = ConcurrentHashMap.newKeySet();

  private static RunningStack stack;
  private static AffiliateServer affiliate;

  @BeforeAll
  static void startStackAndCreateCampaigns() throws Exception {
    affiliate = AffiliateServer.start(exchange -> RECEIVED.add(new Received(exchange.getRequestMethod(),
        exchange.getRequestURI(), exchange.getRequestHeaders().getFirst("Idempotency-Key"))));

    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    stack = RunningStack.start(ADMIN_TOKEN, Map.of(
        "CLICK_ID_KEYS", b64.encodeToString(CURRENT_KEY) + "," + b64.encodeToString(PREVIOUS_KEY),
        "LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2",
        "RELAY_RATES", "EUR=0.5"), READY_TIMEOUT);

    String postbackUrl = "http://127.0.0.1:" + affiliate.port() + "/pb?campaign={campaign_id}"
        + "&aff={affiliate_id}&click={click_id}&event={event}&txid={txid}&status={status}&payout={payout}"
        + "&amount={amount}&currency={currency}&ext={external_id}";
    putCampaign(MX, MX_TOKEN, postbackUrl, """
        "allow_repeat_sales": true,
        "status_map": {"cnf": "approved", "trial": "rejected"},
        "payouts": {"lead": {"type": "fixed", "value": "3"}, "sale": {"type": "percent", "value": 10}},""");
    putCampaign(NO_REPEAT, NO_REPEAT_TOKEN, postbackUrl, "\"allow_repeat_sales\": false,");
    putCampaign(FAST, FAST_TOKEN, postbackUrl, "\"min_click_age_seconds\": 3600,");
    putCampaign(IP_LIMITED, IP_LIMITED_TOKEN, postbackUrl, "\"ip_allowlist\": [\"203.0.113.0/24\"],");
    putCampaign(SIGNED, SIGNED_TOKEN, postbackUrl, "\"signing_secret\": \"" + SIGNING_SECRET + "\",");
    putCampaign(TX_CLICK, TX_CLICK_TOKEN, postbackUrl, "\"transaction_id_means\": \"click_id\",");
    putCampaign(OTHER, OTHER_TOKEN, postbackUrl, "");
    HttpResponse<String> lifetime = send("PUT", "/admin/campaigns/" + LIFETIME, null, """
        {"landing_url": "https://example.com/lp?cid={click_id}", "postback_token": "%s", "allow_repeat_sales": true,
         "affiliates": {"a1": {"postback_url": "%s"}, "a2": {"postback_url": "%s"}}}
        """.formatted(LIFETIME_TOKEN, postbackUrl, postbackUrl));
    assertEquals(200, lifetime.statusCode(), lifetime.body());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
    if (affiliate != null) {
      affiliate.close();
    }
  }

  @BeforeEach
  void newTest() {
    CLICKS_OF_THIS_TEST.clear();
  }

  // ---------------------------------------------------------------- synchronous: refused at the edge

  @Test
  void postbackWithoutClickId_isRefused_missingClickId() throws Exception {
    assertRejected(get("/postback" + query("event", "sale", "txid", "M1", "token", MX_TOKEN)), 400, "missing_click_id");
    JsonNode lifetimeWithoutCampaign = assertRejected(
        get("/postback" + query("customer_id", "cust-1", "txid", "M2", "token", MX_TOKEN)), 400, "missing_click_id");
    assertTrue(lifetimeWithoutCampaign.get("message").asText().contains("campaign_id"),
        "a customer_id without campaign_id is told to name the campaign: " + lifetimeWithoutCampaign);
    assertRejected(get("/postback" + query("click_id", "", "event", "sale", "token", MX_TOKEN)), 400, "missing_click_id");
  }

  @Test
  void forgedTruncatedOrGarbageClickId_isRefused_malformedClickId() throws Exception {
    String real = click(MX, "a1");
    char swapped = real.charAt(12) == 'a' ? 'b' : 'a';
    String forged = real.substring(0, 12) + swapped + real.substring(13);
    Map<String, String> ids = new LinkedHashMap<>();
    ids.put("forged (one character changed)", forged);
    ids.put("truncated", real.substring(0, real.length() - 1));
    ids.put("extended", real + "0");
    ids.put("garbage", "not-a-click-id");
    ids.put("well-formed, tagged with a key we never had", mintClickId(UNKNOWN_KEY, Instant.now()));
    for (Map.Entry<String, String> id : ids.entrySet()) {
      HttpResponse<String> response = get("/postback" + query("click_id", id.getValue(), "event", "sale", "txid", "F1",
          "token", MX_TOKEN));
      assertEquals(400, response.statusCode(), id.getKey() + ": " + response.body());
      assertEquals("malformed_click_id", json(response).path("error").asText(), id.getKey() + ": " + response.body());
    }
    HttpResponse<String> withCampaign = get("/postback" + query("campaign_id", MX, "click_id", forged, "token", MX_TOKEN));
    assertRejected(withCampaign, 400, "malformed_click_id");
    assertTrue(json(admin("/admin/clicks/" + real)).path("postbacks").isEmpty(), "nothing was recorded against the real click");
  }

  static Stream<Arguments> unsubstitutedMacros() {
    return Stream.of(
        Arguments.of("click_id", "{clickid}"),
        Arguments.of("clickid", "%7Bclickid%7D"), // %257Bclickid%257D on the wire: encoded twice
        Arguments.of("cid", "[CLICK_ID]"),
        Arguments.of("subid", "#s2#"),
        Arguments.of("sub_id", "${SUBID}"),
        Arguments.of("txid", "{transaction_id}"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("unsubstitutedMacros")
  void unsubstitutedMacro_isRefused_namingTheParameterAndTheMacroSeen(String parameter, String macro) throws Exception {
    List<String> params = new ArrayList<>(List.of(parameter, macro, "event", "sale", "token", MX_TOKEN));
    if (!parameter.equals("txid")) {
      params.addAll(List.of("txid", "U1"));
    } else {
      params.addAll(List.of("click_id", click(MX, "a1")));
    }
    HttpResponse<String> response = get("/postback" + query(params.toArray(String[]::new)));
    JsonNode body = assertRejected(response, 400, "unsubstituted_macro");
    assertEquals(parameter, body.path("parameter").asText(), response.body());
    assertEquals(macro, body.path("value").asText(), response.body());
  }

  @Test
  void rawBracesAsASenderTypesThem_reachTheHandler_unsubstitutedMacro() throws Exception {
    // not percent-encoded, as a network's template sends it and as API Gateway lets it through
    String[] reply = rawGet("/postback?clickid={clickid}&event=sale&txid=U2&token=" + MX_TOKEN);

    assertEquals("400", reply[0], reply[1]);
    JsonNode body = JSON.readTree(reply[1]);
    assertEquals("unsubstituted_macro", body.path("error").asText(), reply[1]);
    assertEquals("clickid", body.path("parameter").asText(), reply[1]);
    assertEquals("{clickid}", body.path("value").asText(), reply[1]);
  }

  @Test
  void wrongOrMissingToken_isForbidden_badToken() throws Exception {
    String clickId = click(MX, "a1");
    assertRejected(get("/postback" + query("click_id", clickId, "txid", "B1", "token", "wrong-token")), 403, "bad_token");
    assertRejected(get("/postback" + query("click_id", clickId, "txid", "B1")), 403, "bad_token");
    assertRejected(get("/postback" + query("click_id", clickId, "txid", "B1", "token", MX_TOKEN.toUpperCase(Locale.ROOT))),
        403, "bad_token");
    // the token checked is the one of the campaign the postback names
    assertRejected(get("/postback" + query("campaign_id", OTHER, "click_id", clickId, "txid", "B1", "token", MX_TOKEN)),
        403, "bad_token");
  }

  @Test
  void sourceIpOutsideTheCampaignsAllowlist_isForbidden_evenWithAForgedForwardedFor() throws Exception {
    String clickId = click(IP_LIMITED, "a1");
    String path = "/postback" + query("click_id", clickId, "txid", "I1", "token", IP_LIMITED_TOKEN);
    assertRejected(get(path), 403, "ip_not_allowed");
    HttpResponse<String> spoofed = HTTP.send(HttpRequest.newBuilder(URI.create(stack.baseUrl() + path))
        .header("X-Forwarded-For", "203.0.113.7").timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertRejected(spoofed, 403, "ip_not_allowed");
  }

  @Test
  void testsSigner_reproducesTheWorkedExampleOfTheSigningGuide() {
    List<Map.Entry<String, String>> example = List.of(
        Map.entry("click_id", "AZOv6tq1CJ7f0bX2kQ9mL4wE8sR3"), Map.entry("event", "deposit"),
        Map.entry("amount", "50.00"), Map.entry("currency", "EUR"), Map.entry("txid", "INV-2025/0042"),
        Map.entry("status", "approved"), Map.entry("customer_id", "cust-88213"), Map.entry("token", "pt_5f1c9a7e3b2d"),
        Map.entry("ts", "1735732800"));
    assertEquals("80d7451492438c022445c75fc0290cfeed25a2ba0ae0c34283a45cdbcbe5abd4",
        sign("GET", example, "cs_live_7Hq2VbN9xK4mR8tW3yZ6pL1d"));
    assertEquals("a78db11e4c68d6ef6b1d07eac71ba07c6fd4948ef32450122f817b4a788077fe",
        sign("POST", example, "cs_live_7Hq2VbN9xK4mR8tW3yZ6pL1d"));
  }

  @Test
  void unsignedStaleOrWronglySignedPostback_isForbidden_badSignature_sayingWhichCheckFailed() throws Exception {
    String clickId = click(SIGNED, "a1");
    String now = Long.toString(Instant.now().getEpochSecond());

    JsonNode unsigned = assertRejected(get("/postback" + query("click_id", clickId, "txid", "S0", "token", SIGNED_TOKEN)),
        403, "bad_signature");
    assertTrue(unsigned.get("message").asText().contains("sig"), unsigned.toString());

    List<Map.Entry<String, String>> tsOnly = pairs("click_id", clickId, "txid", "S0", "token", SIGNED_TOKEN, "ts", now);
    assertRejected(get("/postback" + query(tsOnly)), 403, "bad_signature");

    List<Map.Entry<String, String>> stale = pairs("click_id", clickId, "txid", "S0", "token", SIGNED_TOKEN,
        "ts", Long.toString(Instant.now().getEpochSecond() - 3600));
    JsonNode staleReply = assertRejected(get("/postback" + query(withSig(stale, sign("GET", stale, SIGNING_SECRET)))),
        403, "bad_signature");
    assertTrue(staleReply.get("message").asText().contains("behind"), "the skew is explained: " + staleReply);

    List<Map.Entry<String, String>> fresh = pairs("click_id", clickId, "txid", "S0", "token", SIGNED_TOKEN, "ts", now);
    String wrong = sign("GET", fresh, "not-the-campaigns-signing-secret");
    JsonNode wrongReply = assertRejected(get("/postback" + query(withSig(fresh, wrong))), 403, "bad_signature");
    assertTrue(wrongReply.get("message").asText().contains("does not match"), wrongReply.toString());

    // signed for GET, sent as POST: the method is signed too
    String getSig = sign("GET", fresh, SIGNING_SECRET);
    assertRejected(post("/postback", "application/x-www-form-urlencoded", query(withSig(fresh, getSig)).substring(1)),
        403, "bad_signature");
    // a parameter changed after signing
    List<Map.Entry<String, String>> tampered = new ArrayList<>(withSig(fresh, getSig));
    tampered.add(Map.entry("payout", "1000"));
    assertRejected(get("/postback" + query(tampered)), 403, "bad_signature");

    assertTrue(json(admin("/admin/clicks/" + clickId)).path("postbacks").isEmpty(), "nothing was recorded");
  }

  @Test
  void correctlySignedPostbacks_areAccepted_asGet_postFormWithQueryParameters_andPostJson() throws Exception {
    String clickId = click(SIGNED, "a1");
    String formClick = click(SIGNED, "a1");
    String jsonClick = click(SIGNED, "a1"); // one click each: the campaign does not allow repeat sales
    String now = Long.toString(Instant.now().getEpochSecond());
    List<Map.Entry<String, String>> get = pairs("Click_ID", clickId, "event", "sale", "txid", "INV 2025/7+1",
        "amount", "12.50", "currency", "USD", "token", SIGNED_TOKEN, "ts", now);
    String getId = acceptedId(get("/postback" + query(withSig(get, sign("GET", get, SIGNING_SECRET)))));

    // POST form, with the token in the query string: the union of both is signed
    List<Map.Entry<String, String>> inBody = pairs("click_id", formClick, "event", "sale", "txid", "INV-2025/9",
        "amount", "7.25", "ts", now);
    List<Map.Entry<String, String>> all = new ArrayList<>(inBody);
    all.add(Map.entry("token", SIGNED_TOKEN));
    String formId = acceptedId(post("/postback" + query("token", SIGNED_TOKEN), "application/x-www-form-urlencoded",
        query(withSig(inBody, sign("POST", all, SIGNING_SECRET))).substring(1)));

    List<Map.Entry<String, String>> json = pairs("click_id", jsonClick, "event", "sale", "txid", "INV-2025/8",
        "amount", "50.00", "token", SIGNED_TOKEN, "ts", now);
    String sig = sign("POST", json, SIGNING_SECRET).toUpperCase(Locale.ROOT); // upper-case hex is accepted too
    String body = """
        {"click_id": "%s", "event": "sale", "txid": "INV-2025/8", "amount": "50.00", "token": "%s", "ts": %s, "sig": "%s"}
        """.formatted(jsonClick, SIGNED_TOKEN, now, sig);
    String jsonId = acceptedId(post("/postback", "application/json", body));

    JsonNode first = awaitDecision(getId);
    assertEquals("attributed", first.path("decision").asText(), first.toString());
    assertEquals("INV 2025/7+1", first.path("txid").asText(), "the value signed is the decoded value");
    assertEquals("attributed", awaitDecision(formId).path("decision").asText());
    assertEquals("attributed", awaitDecision(jsonId).path("decision").asText());
    expectDeliveries(clickId, "sale INV 2025/7+1 approved");
    expectDeliveries(formClick, "sale INV-2025/9 approved");
    expectDeliveries(jsonClick, "sale INV-2025/8 approved");
  }

  /**
   * docs/postback-signing.md: "In a JSON body ... a number or boolean as its literal text
   * ({@code 50.00} stays {@code 50.00})", and its worked example sends {@code "amount":50.00}.
   * The postback function reads JSON with Jackson's default node factory, which strips trailing
   * zeros ({@code 50.00} becomes {@code 5E+1}), so the signature the guide teaches does not match.
   */
  @Test
  void signedJsonWithADecimalNumber_isAccepted_signingTheNumberAsWritten() throws Exception {
    String clickId = click(SIGNED, "a1");
    String now = Long.toString(Instant.now().getEpochSecond());
    List<Map.Entry<String, String>> json = pairs("click_id", clickId, "event", "sale", "txid", "INV-2025/10",
        "amount", "50.00", "token", SIGNED_TOKEN, "ts", now);
    String body = """
        {"click_id": "%s", "event": "sale", "txid": "INV-2025/10", "amount": 50.00, "token": "%s", "ts": %s, "sig": "%s"}
        """.formatted(clickId, SIGNED_TOKEN, now, sign("POST", json, SIGNING_SECRET));
    String id = acceptedId(post("/postback", "application/json", body));
    assertEquals("attributed", awaitDecision(id).path("decision").asText());
    expectDeliveries(clickId, "sale INV-2025/10 approved");
  }

  @Test
  void postbackNamingAnUnknownCampaign_isNotFound_unknownCampaign() throws Exception {
    String clickId = click(MX, "a1");
    assertRejected(get("/postback" + query("campaign_id", "no-such-campaign", "click_id", clickId, "token", MX_TOKEN)),
        404, "unknown_campaign");
    assertRejected(get("/postback" + query("campaign_id", "../../etc/passwd", "click_id", clickId, "token", MX_TOKEN)),
        404, "unknown_campaign");
  }

  @Test
  void clickIdThatVerifiesButWasNeverIssued_isUnknownClick_provingAPreviousKeyStillVerifies() throws Exception {
    String minted = mintClickId(PREVIOUS_KEY, Instant.now());
    // without campaign_id the click is read to find the campaign: refused at once
    assertRejected(get("/postback" + query("click_id", minted, "txid", "K1", "token", MX_TOKEN)), 422, "unknown_click");
    // with campaign_id it is queued, and attribution finds no click
    String id = acceptedId(get("/postback" + query("campaign_id", MX, "click_id", minted, "txid", "K1", "token", MX_TOKEN)));
    JsonNode decision = awaitDecision(id);
    assertEquals("rejected", decision.path("decision").asText(), decision.toString());
    assertEquals("unknown_click", decision.path("reason").asText(), decision.toString());
    EXPECTED_DELIVERIES.put(minted, List.of());
  }

  @Test
  void nonNumericOrNegativeMoney_isRefused_invalidAmount_namingTheParameter() throws Exception {
    String clickId = click(MX, "a1");
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("amount", "ten");
    cases.put("sum", "-5");
    cases.put("payout", "1e400");
    cases.put("commission", "12.3.4");
    cases.put("conversion_rate", "-1");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      JsonNode body = assertRejected(get("/postback" + query("click_id", clickId, "txid", "A1", "token", MX_TOKEN,
          c.getKey(), c.getValue())), 400, "invalid_amount");
      assertEquals(c.getKey(), body.path("parameter").asText(), body.toString());
    }
    JsonNode decision = awaitDecision(acceptedId(get("/postback" + query("click_id", clickId, "txid", "A1",
        "token", MX_TOKEN, "amount", "12,50", "currency", "usd"))));
    assertEquals(0, new BigDecimal("12.50").compareTo(new BigDecimal(decision.path("amount").asText())),
        "a decimal comma is read as a decimal point: " + decision);
    assertEquals("USD", decision.path("currency").asText());
    expectDeliveries(clickId, "conversion A1 approved");
  }

  @Test
  void currencyThatIsNotIso4217_isRefused_invalidCurrency() throws Exception {
    String clickId = click(MX, "a1");
    for (String currency : List.of("DOLLARS", "ZZZ", "U$D", "12")) {
      assertRejected(get("/postback" + query("click_id", clickId, "txid", "C1", "amount", "5", "currency", currency,
          "token", MX_TOKEN)), 400, "invalid_currency");
    }
  }

  @Test
  void statusWordNobodyMaps_isRefused_unknownStatus() throws Exception {
    String clickId = click(MX, "a1");
    JsonNode body = assertRejected(get("/postback" + query("click_id", clickId, "txid", "W1", "status", "banana",
        "token", MX_TOKEN)), 400, "unknown_status");
    assertEquals("status", body.path("parameter").asText(), body.toString());
    assertTrue(body.get("message").asText().contains("banana"), body.toString());
    // a word only an in-URL override knows is unknown without the override
    assertRejected(get("/postback" + query("click_id", clickId, "txid", "W1", "status", "ok_done", "token", MX_TOKEN)),
        400, "unknown_status");
  }

  @Test
  void bodyThatIsNeitherFormNorJson_isRefused_415() throws Exception {
    String clickId = click(MX, "a1");
    HttpResponse<String> response = post("/postback", "text/plain",
        "click_id=" + clickId + "&txid=X1&token=" + MX_TOKEN);
    assertRejected(response, 415, "unsupported_media_type");
    assertRejected(post("/postback", "application/xml", "<postback><click_id>" + clickId + "</click_id></postback>"),
        415, "unsupported_media_type");
  }

  @Test
  void getWithAliasesAndMixedCaseNames_isAccepted_andRecordedUnderCanonicalNames() throws Exception {
    String clickId = click(MX, "a1");
    String id = acceptedId(get("/postback" + query("ClickID", clickId, "GOAL", "Lead", "Tid", "G1", "SUM", "20",
        "Commission", "4", "CNV_STATUS", "Pending", "Ref_ID", "a1", "TOKEN", MX_TOKEN, "landing_variant", "B")));
    JsonNode decision = awaitDecision(id);
    assertCanonical(decision, clickId, "lead", "G1", "20", "4", "pending");
    assertEquals("Pending", decision.path("status_word").asText(), decision.toString());
    assertEquals("B", decision.path("extra").path("landing_variant").asText(), "unknown parameters are kept: " + decision);
    expectDeliveries(clickId, "lead G1 pending");
  }

  @Test
  void postFormWithAliases_isAccepted_andRecordedUnderCanonicalNames() throws Exception {
    String clickId = click(MX, "a1");
    String id = acceptedId(post("/postback", "application/x-www-form-urlencoded; charset=UTF-8",
        query("clickid", clickId, "Goal", "lead", "TID", "P1", "sum", "30", "COMMISSION", "6", "cnv_status", "pending",
            "ref_id", "a1", "Token", MX_TOKEN).substring(1)));
    assertCanonical(awaitDecision(id), clickId, "lead", "P1", "30", "6", "pending");
    expectDeliveries(clickId, "lead P1 pending");
  }

  @Test
  void postJsonWithAliases_isAccepted_andRecordedUnderCanonicalNames() throws Exception {
    String clickId = click(MX, "a1");
    String id = acceptedId(post("/postback", "application/json", """
        {"ClickId": "%s", "goal": "deposit", "TID": "J1", "Sum": 50.00, "commission": 5, "Cnv_Status": "approved",
         "REF_ID": "a1", "token": "%s", "ignored": null}
        """.formatted(clickId, MX_TOKEN)));
    assertCanonical(awaitDecision(id), clickId, "deposit", "J1", "50", "5", "approved");
    expectDeliveries(clickId, "deposit J1 approved");
  }

  @Test
  void returnParameter_choosesAPlainTextReplyBody() throws Exception {
    String clickId = click(MX, "a1");
    HttpResponse<String> response = get("/postback" + query("click_id", clickId, "txid", "R1", "token", MX_TOKEN,
        "return", "OK"));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("OK", response.body());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"), response.headers().map().toString());
    String id = response.headers().firstValue("x-postback-id").orElseThrow();
    assertEquals("attributed", awaitDecision(id).path("decision").asText());
    HttpResponse<String> markup = get("/postback" + query("click_id", clickId, "txid", "R1", "token", MX_TOKEN,
        "return", "<b>ok</b>"));
    assertEquals(200, markup.statusCode(), markup.body());
    assertFalse(markup.body().contains("<"), "return= cannot inject markup: " + markup.body());
    assertEquals("duplicate", awaitDecision(markup.headers().firstValue("x-postback-id").orElseThrow()).path("decision").asText());
    expectDeliveries(clickId, "conversion R1 approved");
  }

  // ---------------------------------------------------------------- asynchronous: decided by attribution

  @Test
  void postbackForARealClick_isAttributed_andRecordedOnThePostbackAndTheClick() throws Exception {
    String clickId = click(MX, "a1");
    String id = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "T1", "amount", "100",
        "currency", "USD", "token", MX_TOKEN)));
    JsonNode decision = awaitDecision(id);
    assertEquals("attributed", decision.path("decision").asText(), decision.toString());
    assertTrue(decision.path("reason").isNull(), decision.toString());
    assertEquals(clickId + "/sale#T1", decision.path("conversion").asText());
    assertEquals("127.0.0.1", decision.path("source_ip").asText());
    assertEquals(MX, decision.path("campaign_id").asText());
    assertFalse(decision.path("received_at").asText().isBlank());

    JsonNode click = json(admin("/admin/clicks/" + clickId));
    assertEquals(MX, click.path("click").path("campaign_id").asText());
    JsonNode conversion = onlyConversion(click);
    assertEquals("approved", conversion.path("status").asText(), "no status means approved: " + conversion);
    assertEquals("a1", conversion.path("affiliate_id").asText());
    assertEquals(id, conversion.path("postback_id").asText());
    assertEquals(List.of(id), postbackIds(click));
    expectDeliveries(clickId, "sale T1 approved");
  }

  @Test
  void sameTxidSentAgain_isADuplicate_andCountedOnce() throws Exception {
    String clickId = click(MX, "a1");
    String path = "/postback" + query("click_id", clickId, "event", "sale", "txid", "D1", "amount", "10", "token", MX_TOKEN);
    String first = acceptedId(get(path));
    assertEquals("attributed", awaitDecision(first).path("decision").asText());
    String second = acceptedId(get(path));
    JsonNode decision = awaitDecision(second);
    assertEquals("duplicate", decision.path("decision").asText(), decision.toString());
    assertEquals("duplicate", decision.path("reason").asText(), decision.toString());
    assertEquals(clickId + "/sale#D1", decision.path("conversion").asText());
    JsonNode click = json(admin("/admin/clicks/" + clickId));
    onlyConversion(click);
    assertEquals(Set.of(first, second), Set.copyOf(postbackIds(click)), "both postbacks are in the click's log");
    expectDeliveries(clickId, "sale D1 approved");
  }

  @Test
  void newTxidOnAConvertedClick_isARepeatSale_whenTheCampaignAllowsIt() throws Exception {
    String clickId = click(MX, "a1");
    String first = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "RS1", "token", MX_TOKEN)));
    assertEquals("attributed", awaitDecision(first).path("decision").asText());
    String second = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "RS2", "token", MX_TOKEN)));
    JsonNode decision = awaitDecision(second);
    assertEquals("attributed", decision.path("decision").asText(), decision.toString());
    assertEquals(clickId + "/sale#RS2", decision.path("conversion").asText());
    JsonNode conversions = json(admin("/admin/clicks/" + clickId)).path("conversions");
    assertEquals(Set.of("RS1", "RS2"), texts(conversions, "txid"));
    expectDeliveries(clickId, "sale RS1 approved", "sale RS2 approved");
  }

  @Test
  void newTxidOnAConvertedClick_isRefused_repeatNotAllowed_whenTheCampaignForbidsRepeatSales() throws Exception {
    String clickId = click(NO_REPEAT, "a1");
    String first = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "N1", "token", NO_REPEAT_TOKEN)));
    JsonNode created = awaitDecision(first);
    assertEquals("attributed", created.path("decision").asText());
    assertEquals(clickId + "/sale", created.path("conversion").asText());
    String second = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "N2", "token", NO_REPEAT_TOKEN)));
    JsonNode refused = awaitDecision(second);
    assertEquals("rejected", refused.path("decision").asText(), refused.toString());
    assertEquals("repeat_not_allowed", refused.path("reason").asText(), refused.toString());
    String again = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "N1", "token", NO_REPEAT_TOKEN)));
    assertEquals("duplicate", awaitDecision(again).path("reason").asText());
    // another event on the same click is its own conversion
    String lead = acceptedId(get("/postback" + query("click_id", clickId, "event", "lead", "txid", "N3", "token", NO_REPEAT_TOKEN)));
    assertEquals("attributed", awaitDecision(lead).path("decision").asText());
    JsonNode conversions = json(admin("/admin/clicks/" + clickId)).path("conversions");
    assertEquals(Set.of("N1", "N3"), texts(conversions, "txid"));
    expectDeliveries(clickId, "sale N1 approved", "lead N3 approved");
  }

  @Test
  void statusUpdates_movePendingToApprovedToChargeback_keepingTheHistory() throws Exception {
    String clickId = click(MX, "a1");
    String pending = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "H1", "amount", "40",
        "status", "pending", "token", MX_TOKEN)));
    assertEquals("attributed", awaitDecision(pending).path("decision").asText());
    String approved = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "H1",
        "status", "approved", "token", MX_TOKEN)));
    JsonNode approval = awaitDecision(approved);
    assertEquals("status_updated", approval.path("decision").asText(), approval.toString());
    assertEquals(clickId + "/sale#H1", approval.path("conversion").asText());
    String chargeback = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "H1",
        "status", "refund", "token", MX_TOKEN)));
    assertEquals("status_updated", awaitDecision(chargeback).path("decision").asText());

    JsonNode conversion = onlyConversion(json(admin("/admin/clicks/" + clickId)));
    assertEquals("chargeback", conversion.path("status").asText(), conversion.toString());
    JsonNode history = conversion.path("status_history");
    assertEquals(3, history.size(), history.toString());
    assertTrue(history.get(0).path("from").isNull(), history.toString());
    assertEquals(List.of("pending", "approved", "chargeback"), List.of(history.get(0).path("to").asText(),
        history.get(1).path("to").asText(), history.get(2).path("to").asText()), history.toString());
    assertEquals("pending", history.get(1).path("from").asText());
    assertEquals("approved", history.get(2).path("from").asText());
    assertEquals(List.of(pending, approved, chargeback),
        List.of(history.get(0).path("postback_id").asText(), history.get(1).path("postback_id").asText(),
            history.get(2).path("postback_id").asText()));
    assertEquals(0, new BigDecimal("40").compareTo(new BigDecimal(conversion.path("amount").asText())),
        "the amount stays that of the creating postback: " + conversion);

    // chargeback is final
    String late = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "H1",
        "status", "approved", "token", MX_TOKEN)));
    assertEquals("invalid_status_transition", awaitDecision(late).path("reason").asText());
    expectDeliveries(clickId, "sale H1 pending", "sale H1 approved", "sale H1 chargeback");
  }

  @Test
  void approvedBackToPending_isRefused_invalidStatusTransition() throws Exception {
    String clickId = click(MX, "a1");
    String approved = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "V1",
        "status", "approved", "token", MX_TOKEN)));
    assertEquals("attributed", awaitDecision(approved).path("decision").asText());
    String back = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "V1",
        "status", "pending", "token", MX_TOKEN)));
    JsonNode decision = awaitDecision(back);
    assertEquals("rejected", decision.path("decision").asText(), decision.toString());
    assertEquals("invalid_status_transition", decision.path("reason").asText(), decision.toString());
    JsonNode conversion = onlyConversion(json(admin("/admin/clicks/" + clickId)));
    assertEquals("approved", conversion.path("status").asText());
    assertEquals(1, conversion.path("status_history").size(), conversion.toString());
    expectDeliveries(clickId, "sale V1 approved");
  }

  @Test
  void statusWords_areMappedByDefaultTable_inUrlOverrides_andTheCampaignsMap() throws Exception {
    String clickId = click(MX, "a1");
    Map<String, List<String>> sent = new LinkedHashMap<>();
    sent.put("SW1", List.of("status", "trash"));                                   // default table
    sent.put("SW2", List.of("sale_status", "paid", "status", "paid"));             // in-URL override
    sent.put("SW3", List.of("sale_status", "ok_done", "status", "OK_DONE"));       // override of an unknown word
    sent.put("SW4", List.of("rejected_status", "nope", "status", "nope"));
    sent.put("SW5", List.of("status", "cnf"));                                     // the campaign's own word
    sent.put("SW6", List.of("status", "trial"));                                   // campaign beats default (pending)
    sent.put("SW7", List.of("lead_status", "approved", "status", "approved"));     // override beats default
    Map<String, String> expected = Map.of("SW1", "rejected", "SW2", "approved", "SW3", "approved", "SW4", "rejected",
        "SW5", "approved", "SW6", "rejected", "SW7", "pending");
    Map<String, String> ids = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> s : sent.entrySet()) {
      List<String> params = new ArrayList<>(List.of("click_id", clickId, "event", "sale", "txid", s.getKey(), "token", MX_TOKEN));
      params.addAll(s.getValue());
      ids.put(s.getKey(), acceptedId(get("/postback" + query(params.toArray(String[]::new)))));
    }
    for (Map.Entry<String, String> id : ids.entrySet()) {
      JsonNode decision = awaitDecision(id.getValue());
      assertEquals("attributed", decision.path("decision").asText(), decision.toString());
      assertEquals(expected.get(id.getKey()), decision.path("status").asText(), id.getKey() + ": " + decision);
    }
    Map<String, String> statusByTxid = new TreeMap<>();
    json(admin("/admin/clicks/" + clickId)).path("conversions")
        .forEach(c -> statusByTxid.put(c.path("txid").asText(), c.path("status").asText()));
    assertEquals(new TreeMap<>(expected), statusByTxid);
    expectDeliveries(clickId, expected.entrySet().stream().map(e -> "sale " + e.getKey() + " " + e.getValue())
        .toArray(String[]::new));
  }

  @Test
  void conversionSoonerThanTheCampaignsMinimumClickAge_isRejected_tooFast() throws Exception {
    String clickId = click(FAST, "a1");
    String id = acceptedId(get("/postback" + query("click_id", clickId, "event", "sale", "txid", "TF1", "token", FAST_TOKEN)));
    JsonNode decision = awaitDecision(id);
    assertEquals("rejected", decision.path("decision").asText(), decision.toString());
    assertEquals("too_fast", decision.path("reason").asText(), decision.toString());
    JsonNode click = json(admin("/admin/clicks/" + clickId));
    assertTrue(click.path("conversions").isEmpty(), click.toString());
    assertEquals(List.of(id), postbackIds(click), "the refused postback is still in the click's log");
  }

  @Test
  void postbackNamingAnotherCampaignThanTheClicks_isRejected_campaignMismatch() throws Exception {
    String clickId = click(MX, "a1");
    String id = acceptedId(get("/postback" + query("campaign_id", OTHER, "click_id", clickId, "event", "sale",
        "txid", "CM1", "token", OTHER_TOKEN)));
    JsonNode decision = awaitDecision(id);
    assertEquals("rejected", decision.path("decision").asText(), decision.toString());
    assertEquals("campaign_mismatch", decision.path("reason").asText(), decision.toString());
    JsonNode story = json(admin("/admin/clicks/" + clickId));
    assertTrue(story.path("conversions").isEmpty(), story.toString());
    assertTrue(story.path("postbacks").isEmpty(), "nothing is written under the other campaign's click: " + story);
  }

  @Test
  void payoutRules_fixedPerEvent_percentOfAmount_explicitPayoutOverrides_currencyConverted() throws Exception {
    String clickId = click(MX, "a1");
    record Case(String txid, List<String> params, String payout, String payoutCurrency) {}
    List<Case> cases = List.of(
        new Case("PO1", List.of("event", "lead"), "3", "USD"),                                     // fixed 3 per lead
        new Case("PO2", List.of("event", "lead", "amount", "500"), "3", "USD"),                    // fixed ignores amount
        new Case("PO3", List.of("event", "sale", "amount", "80"), "8", "USD"),                     // 10 % of 80
        new Case("PO4", List.of("event", "sale", "amount", "80", "payout", "5"), "5", "USD"),      // explicit payout wins
        new Case("PO5", List.of("event", "sale", "amount", "40", "currency", "EUR"), "8", "USD"),  // 40 EUR = 80 USD
        new Case("PO6", List.of("event", "sale", "amount", "40", "currency", "EUR", "conversion_rate", "3"), "12", "USD"),
        new Case("PO7", List.of("event", "sale", "payout", "5", "currency", "EUR"), "10", "USD"),
        new Case("PO8", List.of("event", "signup"), "0", "USD"));                                  // no rule, no payout
    Map<String, String> ids = new LinkedHashMap<>();
    for (Case c : cases) {
      List<String> params = new ArrayList<>(List.of("click_id", clickId, "txid", c.txid(), "token", MX_TOKEN));
      params.addAll(c.params());
      ids.put(c.txid(), acceptedId(get("/postback" + query(params.toArray(String[]::new)))));
    }
    for (String id : ids.values()) {
      assertEquals("attributed", awaitDecision(id).path("decision").asText());
    }
    Map<String, JsonNode> byTxid = new LinkedHashMap<>();
    json(admin("/admin/clicks/" + clickId)).path("conversions").forEach(c -> byTxid.put(c.path("txid").asText(), c));
    for (Case c : cases) {
      JsonNode conversion = byTxid.get(c.txid());
      assertNotNull(conversion, c.txid() + " in " + byTxid.keySet());
      assertEquals(0, new BigDecimal(c.payout()).compareTo(new BigDecimal(conversion.path("payout").asText())),
          c.txid() + " payout: " + conversion);
      assertEquals(c.payoutCurrency(), conversion.path("payout_currency").asText(), c.txid() + ": " + conversion);
    }
    JsonNode euro = byTxid.get("PO5");
    assertEquals("EUR", euro.path("currency").asText(), "the amount keeps the currency it was sent in: " + euro);
    assertEquals(0, new BigDecimal("40").compareTo(new BigDecimal(euro.path("amount").asText())), euro.toString());
    expectDeliveries(clickId, "lead PO1 approved", "lead PO2 approved", "sale PO3 approved", "sale PO4 approved",
        "sale PO5 approved", "sale PO6 approved", "sale PO7 approved", "signup PO8 approved");

    // what the affiliate got carries the conversion's values
    Received percent = deliveredFor("PO3");
    assertEquals("8.00", percent.query().get("payout"), percent.uri().toString());
    assertEquals("80.00", percent.query().get("amount"), percent.uri().toString());
    assertEquals("mx", percent.query().get("campaign"));
  }

  @Test
  void transactionId_isTheClickId_onACampaignThatSaysSo_andTheOrderIdElsewhere() throws Exception {
    String txClick = click(TX_CLICK, "a1");
    String id = acceptedId(get("/postback" + query("campaign_id", TX_CLICK, "transaction_id", txClick, "event", "sale",
        "txid", "O1", "token", TX_CLICK_TOKEN)));
    JsonNode decision = awaitDecision(id);
    assertEquals("attributed", decision.path("decision").asText(), decision.toString());
    assertEquals(txClick, decision.path("click_id").asText());
    assertEquals("O1", onlyConversion(json(admin("/admin/clicks/" + txClick))).path("txid").asText());

    String orderClick = click(MX, "a1");
    String order = acceptedId(get("/postback" + query("campaign_id", MX, "click_id", orderClick, "transaction_id", "ORD-9",
        "event", "sale", "token", MX_TOKEN)));
    JsonNode orderDecision = awaitDecision(order);
    assertEquals("attributed", orderDecision.path("decision").asText(), orderDecision.toString());
    assertEquals("ORD-9", orderDecision.path("txid").asText(), "transaction_id is the order id by default");
    // and on the order-id campaign, transaction_id alone is no click id
    assertRejected(get("/postback" + query("campaign_id", MX, "transaction_id", orderClick, "token", MX_TOKEN)),
        400, "missing_click_id");
    expectDeliveries(txClick, "sale O1 approved");
    expectDeliveries(orderClick, "sale ORD-9 approved");
  }

  @Test
  void lifetimeAttribution_bindsTheCustomerToTheClicksAffiliate_andRefusesUnknownCustomers() throws Exception {
    String clickId = click(LIFETIME, "a2");
    String customer = "cust-" + Long.toHexString(System.nanoTime());
    String first = acceptedId(get("/postback" + query("click_id", clickId, "event", "deposit", "txid", "L1", "amount", "10",
        "customer_id", customer, "new_customer", "1", "token", LIFETIME_TOKEN)));
    assertEquals("attributed", awaitDecision(first).path("decision").asText());

    String later = acceptedId(get("/postback" + query("campaign_id", LIFETIME, "customer_id", customer, "event", "deposit",
        "txid", "L2", "amount", "25", "token", LIFETIME_TOKEN)));
    JsonNode decision = awaitDecision(later);
    assertEquals("attributed", decision.path("decision").asText(), decision.toString());
    assertEquals(clickId, decision.path("click_id").asText(), "resolved to the bound click: " + decision);
    assertEquals(clickId + "/deposit#L2", decision.path("conversion").asText());

    JsonNode click = json(admin("/admin/clicks/" + clickId));
    assertEquals(Set.of("L1", "L2"), texts(click.path("conversions"), "txid"));
    assertEquals(Set.of("a2"), texts(click.path("conversions"), "affiliate_id"));

    String stranger = acceptedId(get("/postback" + query("campaign_id", LIFETIME, "customer_id", "cust-nobody",
        "event", "deposit", "txid", "L3", "token", LIFETIME_TOKEN)));
    JsonNode refused = awaitDecision(stranger);
    assertEquals("rejected", refused.path("decision").asText(), refused.toString());
    assertEquals("unknown_customer", refused.path("reason").asText(), refused.toString());

    // a customer bound on one campaign is unknown on another
    String elsewhere = acceptedId(get("/postback" + query("campaign_id", MX, "customer_id", customer,
        "event", "deposit", "txid", "L4", "token", MX_TOKEN)));
    assertEquals("unknown_customer", awaitDecision(elsewhere).path("reason").asText());
    expectDeliveries(clickId, "deposit L1 approved", "deposit L2 approved");

    Received lifetime = deliveredFor("L2");
    assertEquals("a2", lifetime.query().get("aff"), "the bound customer's affiliate is paid: " + lifetime.uri());
    assertTrue(lifetime.query().get("ext").startsWith("cust-"), lifetime.uri().toString());
  }

  // ---------------------------------------------------------------- forwarding

  /**
   * After every test, whatever ran before it: the affiliate received exactly the deliveries the
   * conversions of the tests so far must cause, one per conversion state, each with its own key,
   * and every attempt is logged on its conversion with the affiliate's answer.
   */
  @AfterEach
  void affiliateReceivesExactlyOneDeliveryPerConversionState_eachWithItsOwnIdempotencyKey() throws Exception {
    verifyDeliveries();
  }

  /**
   * Waits until the affiliate received as many deliveries as expected, then for the stack's
   * end-of-processing signal (no conversion or delivery left on its queues, so nothing more can
   * arrive), and checks them; returns everything received.
   */
  private static List<Received> verifyDeliveries() throws Exception {
    int expectedTotal = EXPECTED_DELIVERIES.values().stream().mapToInt(List::size).sum();
    long end = System.nanoTime() + WAIT.toNanos();
    while (RECEIVED.size() < expectedTotal && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    stack.awaitIdle(WAIT); // anything extra (a second delivery of the same state) would have arrived

    Map<String, List<String>> received = new TreeMap<>();
    for (Received r : RECEIVED) {
      Map<String, String> q = r.query();
      received.computeIfAbsent(q.get("click"), k -> new ArrayList<>())
          .add(q.get("event") + " " + q.get("txid") + " " + q.get("status"));
    }
    Map<String, List<String>> expected = new TreeMap<>();
    EXPECTED_DELIVERIES.forEach((click, list) -> {
      if (!list.isEmpty()) {
        expected.put(click, list.stream().sorted().toList());
      }
    });
    received.replaceAll((click, list) -> list.stream().sorted().toList());
    assertEquals(expected, received, "deliveries per click (expected vs received); stack output:\n" + tail(stack.output()));

    Set<String> keys = new HashSet<>();
    for (Received r : RECEIVED) {
      assertEquals("GET", r.method());
      assertTrue(r.idempotencyKey() != null && !r.idempotencyKey().isBlank(), "Idempotency-Key on " + r.uri());
      assertTrue(keys.add(r.idempotencyKey()), "each conversion state has its own key: " + r.idempotencyKey());
    }

    // and every attempt is logged on its conversion with the affiliate's answer
    for (String click : CLICKS_OF_THIS_TEST) {
      if (!expected.containsKey(click)) {
        continue;
      }
      JsonNode conversions = awaitConversionsDelivered(click);
      for (JsonNode c : conversions) {
        assertEquals(c.path("status_history").size(), c.path("deliveries").size(), "one attempt per state: " + c);
        c.path("deliveries").forEach(d -> assertEquals(200, d.path("http_status").asInt(), d.toString()));
      }
    }
    return List.copyOf(RECEIVED);
  }

  /** The one delivery the affiliate received for {@code txid}, once the deliveries are checked. */
  private static Received deliveredFor(String txid) throws Exception {
    return verifyDeliveries().stream().filter(r -> txid.equals(r.query().get("txid"))).findFirst().orElseThrow();
  }

  // ---------------------------------------------------------------- helpers

  private static void putCampaign(String id, String token, String postbackUrl, String extraFields) throws Exception {
    HttpResponse<String> put = send("PUT", "/admin/campaigns/" + id, null, """
        {"landing_url": "https://example.com/lp?cid={click_id}&s1={sub1}", "postback_token": "%s", %s
         "affiliates": {"a1": {"postback_url": "%s"}}}
        """.formatted(token, extraFields, postbackUrl));
    assertEquals(200, put.statusCode(), id + ": " + put.body());
  }

  /** A click through {@code GET /click}, as a visitor makes it; its deliveries are expected to be none until said. */
  private static String click(String campaign, String affiliateId) throws Exception {
    HttpResponse<String> response = get("/click" + query("campaign_id", campaign, "affiliate_id", affiliateId,
        "sub1", "s-" + campaign, "format", "json"));
    assertEquals(200, response.statusCode(), response.body());
    String clickId = json(response).path("click_id").asText();
    assertEquals(32, clickId.length(), response.body());
    EXPECTED_DELIVERIES.putIfAbsent(clickId, new CopyOnWriteArrayList<>());
    CLICKS_OF_THIS_TEST.add(clickId);
    return clickId;
  }

  private static void expectDeliveries(String clickId, String... eventTxidStatus) {
    CLICKS_OF_THIS_TEST.add(clickId);
    EXPECTED_DELIVERIES.computeIfAbsent(clickId, k -> new CopyOnWriteArrayList<>()).addAll(List.of(eventTxidStatus));
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return send("GET", pathAndQuery, null, null);
  }

  private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
    return send("POST", path, contentType, body);
  }

  private static HttpResponse<String> admin(String path) throws Exception {
    HttpResponse<String> response = send("GET", path, null, null);
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return response;
  }

  private static HttpResponse<String> send(String method, String pathAndQuery, String contentType, String body)
      throws Exception {
    return stack.send(method, pathAndQuery, contentType, body);
  }

  /**
   * {@code GET target} written byte for byte on a socket (java.net.URI refuses raw braces);
   * returns the status code and the body.
   */
  private static String[] rawGet(String target) throws Exception {
    URI base = URI.create(stack.baseUrl());
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + base.getAuthority()
          + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int split = reply.indexOf("\r\n\r\n");
      return new String[] {reply.split(" ", 3)[1], split < 0 ? reply : reply.substring(split + 4)};
    }
  }

  /** Asserts a refusal: the status, the {@code error} code and a sentence in {@code message}. */
  private static JsonNode assertRejected(HttpResponse<String> response, int status, String code) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode body = json(response);
    assertEquals(code, body.path("error").asText(), response.body());
    assertFalse(body.path("message").asText().isBlank(), "a message a network's engineer can act on: " + response.body());
    return body;
  }

  private static String acceptedId(HttpResponse<String> response) throws Exception {
    assertEquals(200, response.statusCode(), response.body());
    JsonNode body = json(response);
    assertEquals("accepted", body.path("status").asText(), response.body());
    String id = body.path("postback_id").asText();
    assertFalse(id.isBlank(), response.body());
    assertEquals(id, response.headers().firstValue("x-postback-id").orElse(null));
    return id;
  }

  /** The postback's record once attribution decided it: {@code GET /admin/postbacks/{id}}, polled. */
  private static JsonNode awaitDecision(String postbackId) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> last;
    do {
      last = send("GET", "/admin/postbacks/" + postbackId, null, null);
      if (last.statusCode() == 200) {
        JsonNode record = json(last);
        assertEquals(postbackId, record.path("postback_id").asText());
        assertFalse(record.path("decision").asText().isBlank(), last.body());
        return record;
      }
      assertEquals(404, last.statusCode(), last.body());
      Thread.sleep(100);
    } while (System.nanoTime() < end);
    fail("postback " + postbackId + " was not decided within " + WAIT + " (last: " + last.statusCode() + " "
        + last.body() + "); stack output:\n" + tail(stack.output()));
    return null;
  }

  /** The click's conversions once each has one logged delivery attempt per status it has had. */
  private static JsonNode awaitConversionsDelivered(String clickId) throws Exception {
    long end = System.nanoTime() + WAIT.toNanos();
    JsonNode conversions;
    do {
      conversions = json(admin("/admin/clicks/" + clickId)).path("conversions");
      boolean done = true;
      for (JsonNode c : conversions) {
        done &= c.path("deliveries").size() >= c.path("status_history").size();
      }
      if (done) {
        return conversions;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < end);
    return conversions;
  }

  private static void assertCanonical(JsonNode decision, String clickId, String event, String txid, String amount,
      String payout, String status) {
    assertEquals("attributed", decision.path("decision").asText(), decision.toString());
    assertEquals(clickId, decision.path("click_id").asText(), decision.toString());
    assertEquals(event, decision.path("event").asText(), "event, lower-cased: " + decision);
    assertEquals(txid, decision.path("txid").asText(), decision.toString());
    assertEquals(0, new BigDecimal(amount).compareTo(new BigDecimal(decision.path("amount").asText())), decision.toString());
    assertEquals(0, new BigDecimal(payout).compareTo(new BigDecimal(decision.path("payout").asText())), decision.toString());
    assertEquals(status, decision.path("status").asText(), decision.toString());
    assertEquals("a1", decision.path("affiliate_id").asText(), "ref_id names the affiliate: " + decision);
  }

  private static JsonNode onlyConversion(JsonNode click) {
    JsonNode conversions = click.path("conversions");
    assertEquals(1, conversions.size(), click.toString());
    return conversions.get(0);
  }

  private static List<String> postbackIds(JsonNode click) {
    List<String> ids = new ArrayList<>();
    click.path("postbacks").forEach(p -> ids.add(p.path("postback_id").asText()));
    return ids;
  }

  private static Set<String> texts(JsonNode array, String field) {
    Set<String> out = new HashSet<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    return Stream.of(lines).skip(Math.max(0, lines.length - 80)).collect(Collectors.joining("\n"));
  }

  // ---- query strings

  private static List<Map.Entry<String, String>> pairs(String... nameValue) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      pairs.add(Map.entry(nameValue[i], nameValue[i + 1]));
    }
    return pairs;
  }

  /** {@code ?a=1&b=2}, names and values form-encoded, so what the server decodes is exactly what is given. */
  private static String query(String... nameValue) {
    return query(pairs(nameValue));
  }

  private static String query(List<Map.Entry<String, String>> pairs) {
    StringJoiner q = new StringJoiner("&", "?", "");
    pairs.forEach(p -> q.add(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8)));
    return q.toString();
  }

  // ---- the inbound signature, written from docs/postback-signing.md (not from the product's code)

  private static List<Map.Entry<String, String>> withSig(List<Map.Entry<String, String>> pairs, String sig) {
    List<Map.Entry<String, String>> signed = new ArrayList<>(pairs);
    signed.add(Map.entry("sig", sig));
    return signed;
  }

  static String sign(String method, List<Map.Entry<String, String>> params, String secret) {
    String canonical = params.stream()
        .filter(p -> !p.getKey().equalsIgnoreCase("sig"))
        .map(p -> new String[] {rfc3986(p.getKey().toLowerCase(Locale.ROOT)), rfc3986(p.getValue())})
        .sorted(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]))
        .map(p -> p[0] + "=" + p[1])
        .collect(Collectors.joining("&"));
    String stringToSign = method.toUpperCase(Locale.ROOT) + "\n/postback\n" + canonical;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rfc3986(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  // ---- click ids as the tracker mints them (20 bytes: 6 of millis, 8 random, 6 of HMAC-SHA256 tag; base32)

  private static String mintClickId(byte[] key, Instant at) {
    byte[] id = new byte[20];
    long millis = at.toEpochMilli();
    for (int i = 5; i >= 0; i--) {
      id[i] = (byte) millis;
      millis >>>= 8;
    }
    System.arraycopy(randomBytes(8), 0, id, 6, 8);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(id, 0, 14);
      System.arraycopy(mac.doFinal(), 0, id, 14, 6);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    String alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    StringBuilder out = new StringBuilder(32);
    ByteBuffer buffer = ByteBuffer.wrap(id);
    for (int group = 0; group < 4; group++) {
      long chunk = 0;
      for (int i = 0; i < 5; i++) {
        chunk = (chunk << 8) | (buffer.get() & 0xff);
      }
      for (int shift = 35; shift >= 0; shift -= 5) {
        out.append(alphabet.charAt((int) (chunk >>> shift) & 31));
      }
    }
    return out.toString();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
