package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.common.Masking;
import dev.postbackrelay.logs.ReceivedEntry;
import dev.postbackrelay.logs.ReceivedLog;
import dev.postbackrelay.logs.ReceivedQuery;
import dev.postbackrelay.logs.RefusedPostback;
import dev.postbackrelay.postback.Postback;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(Profiles.Postback.class)
public class PostbackHandlerTest {

  static final String TOKEN = "token-123456";

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickStore clicks;
  @Inject
  ClickIds clickIds;
  @Inject
  ReceivedLog received;

  String clickId;

  @BeforeEach
  void clickOnACampaign() {
    campaigns.put(Campaign.simple("summer-sale", "https://shop.example.com/?cid={click_id}", TOKEN,
        Map.of("aff-42", Affiliate.withPostbackUrl(null))));
    Instant now = Instant.now();
    clickId = clickIds.issue(now);
    clicks.put(Click.builder().clickId(clickId).campaignId("summer-sale").affiliateId("aff-42").createdAt(now)
        .ip("203.0.113.10").userAgent("UA").expiresAt(now.plusSeconds(86400)).build());
    drainQueue();
  }

  @Test
  void getWithNetworkAliases_isAcceptedAndQueuedUnderCanonicalNames() {
    ObjectNode event = Events.load("postback-get.json");
    event.put("rawQueryString", event.get("rawQueryString").asText().replace("REPLACE_CLICK_ID", clickId)
        .replace("REPLACE_TOKEN", TOKEN));

    JsonNode response = Events.invoke(event);

    assertEquals(200, response.path("statusCode").asInt());
    JsonNode body = Events.body(response);
    assertEquals("accepted", body.path("status").asText());
    String postbackId = body.path("postback_id").asText();
    assertEquals(postbackId, response.path("headers").path("x-postback-id").asText());
    Postback queued = onlyQueued();
    assertEquals(postbackId, queued.postbackId());
    assertEquals(clickId, queued.clickId());
    assertEquals("sale", queued.event());
    assertEquals("ORDER-1001", queued.txid());
    assertEquals(0, new BigDecimal("49.90").compareTo(queued.amount()));
    assertEquals(0, new BigDecimal("7.50").compareTo(queued.payout()));
    assertEquals("USD", queued.currency());
    assertEquals("198.51.100.20", queued.sourceIp());
  }

  @Test
  void postForm_base64Body_isAccepted() {
    ObjectNode event = Events.load("postback-post-form.json");
    Events.withBase64Body(event, "click_id=" + clickId + "&event=deposit&txid=D-77&amount=100&currency=EUR&token=" + TOKEN);

    JsonNode response = Events.invoke(event);

    assertEquals(200, response.path("statusCode").asInt());
    Postback queued = onlyQueued();
    assertEquals("deposit", queued.event());
    assertEquals("EUR", queued.currency());
  }

  @Test
  void postJson_withMixedCaseNames_mapsTheStatusWord() {
    ObjectNode event = Events.load("postback-post-json.json");
    event.put("body", event.get("body").asText().replace("REPLACE_CLICK_ID", clickId).replace("REPLACE_TOKEN", TOKEN));

    JsonNode response = Events.invoke(event);

    assertEquals(200, response.path("statusCode").asInt());
    Postback queued = onlyQueued();
    assertEquals(ConversionStatus.PENDING, queued.status());
    assertEquals("lead", queued.statusWord());
    assertEquals("R-5", queued.txid());
    assertEquals("DE", queued.extra().get("country"));
  }

  @Test
  void returnParameter_choosesAPlainTextReply() {
    JsonNode response = Events.invoke(Events.http("GET", "GET /postback", "/postback",
        "click_id=" + clickId + "&token=" + TOKEN + "&return=OK"));

    assertEquals(200, response.path("statusCode").asInt());
    assertEquals("OK", response.path("body").asText());
    assertTrue(response.path("headers").path("content-type").asText().startsWith("text/plain"));
  }

  @Test
  void missingClickId_is400AndNothingIsQueued() {
    assertRejected("event=sale&token=" + TOKEN, 400, "missing_click_id");
  }

  @Test
  void forgedClickId_is400WithoutTouchingTheQueue() {
    String forged = clickId.substring(0, 31) + (clickId.charAt(31) == '0' ? '1' : '0');
    assertRejected("click_id=" + forged + "&token=" + TOKEN, 400, "malformed_click_id");
  }

  @Test
  void badToken_is403() {
    assertRejected("click_id=" + clickId + "&token=wrong-token", 403, "bad_token");
  }

  @Test
  void unsubstitutedMacro_namesTheParameterAndTheMacro() {
    JsonNode body = assertRejected("click_id=" + clickId + "&token=" + TOKEN + "&sum=%7Bamount%7D", 400,
        "unsubstituted_macro");
    assertEquals("sum", body.path("parameter").asText());
    assertEquals("{amount}", body.path("value").asText());
  }

  @Test
  void invalidAmount_is400() {
    assertRejected("click_id=" + clickId + "&token=" + TOKEN + "&amount=12abc", 400, "invalid_amount");
  }

  @Test
  void controlCharacterOrBlankName_is400InvalidParameterAndNothingIsQueued() {
    for (String bad : new String[] {"%01=x", "%20=x", "a%0Ab=x"}) {
      assertRejected("click_id=" + clickId + "&token=" + TOKEN + "&" + bad, 400, "invalid_parameter");
    }
    assertRejectedJson("{\"click_id\":\"" + clickId + "\",\"token\":\"" + TOKEN + "\",\"\\u0001\":\"x\"}", 400,
        "invalid_parameter");
  }

  @Test
  void kelvinSign_doesNotFoldIntoTheTokenAlias() {
    // U+212A KELVIN SIGN lower-cases to 'k' under Unicode rules: "\u212Aey" must not become "key"
    assertRejected("click_id=" + clickId + "&%E2%84%AAey=" + TOKEN, 403, "bad_token");
  }

  @Test
  void duplicateNames_firstWinsInQueryFormAndJsonAlike() {
    Events.invoke(Events.http("GET", "GET /postback", "/postback",
        "click_id=" + clickId + "&token=" + TOKEN + "&txid=first&TXID=second"));
    assertEquals("first", onlyQueued().txid());

    ObjectNode form = Events.load("postback-post-form.json");
    Events.withBase64Body(form, "click_id=" + clickId + "&token=" + TOKEN + "&txid=first&txid=second");
    Events.invoke(form);
    assertEquals("first", onlyQueued().txid());

    JsonNode json = Events.invoke(jsonPostback("{\"click_id\":\"" + clickId + "\",\"token\":\"" + TOKEN
        + "\",\"txid\":\"first\",\"Txid\":\"second\",\"txid\":\"third\"}"));
    assertEquals(200, json.path("statusCode").asInt(), json.toString());
    assertEquals("first", onlyQueued().txid());
  }

  @Test
  void trailingGarbageAfterTheJsonBody_is400() {
    assertRejectedJson("{\"click_id\":\"" + clickId + "\",\"token\":\"" + TOKEN + "\"} x", 400, "invalid_parameter");
    assertRejectedJson("{\"click_id\":\"" + clickId + "\",\"token\":\"" + TOKEN + "\"}{}", 400, "invalid_parameter");
  }

  @Test
  void everyNumberFormInAJsonBody_isAnsweredWithoutA5xx() {
    String head = "{\"click_id\":\"" + clickId + "\",\"token\":\"" + TOKEN + "\",";
    for (String field : new String[] {"\"a\":1e2147483648", "\"a\":-1e-2147483649", "\"a\":[1e2147483648]",
        "\"amount\":1e2147483648", "\"payout\":1E-2147483648", "\"amount\":1e400", "\"payout\":0.000000001",
        "\"amount\":123456789012345678901234567890", "\"a\":" + "[".repeat(3000) + "]".repeat(3000),
        "\"amount\":NaN", "\"amount\":\"Infinity\"", "\"payout\":\"\u0661\u0662\""}) {
      JsonNode response = Events.invoke(jsonPostback(head + field + "}"));
      int status = response.path("statusCode").asInt();
      assertTrue(status < 500, field + " -> " + response);
      if (status != 200) {
        assertEquals(400, status, field + " -> " + response);
        assertTrue(Events.body(response).path("message").asText().length() > 10);
      }
      drainQueue();
    }
    JsonNode huge = Events.invoke(jsonPostback(head + "\"amount\":1e2147483648}"));
    assertEquals("invalid_amount", Events.body(huge).path("error").asText(), huge.toString());
    JsonNode tiny = Events.invoke(jsonPostback(head + "\"payout\":0.000000001}"));
    assertEquals("invalid_amount", Events.body(tiny).path("error").asText(), tiny.toString());
    JsonNode digits = Events.invoke(jsonPostback(head + "\"payout\":\"\u0661\u0662\"}"));
    assertEquals("invalid_amount", Events.body(digits).path("error").asText(), "only ASCII digits: " + digits);
    JsonNode plain = Events.invoke(jsonPostback(head + "\"amount\":50.00,\"a\":1e2147483648}"));
    assertEquals(200, plain.path("statusCode").asInt(), plain.toString());
    Postback queued = onlyQueued();
    assertEquals("1e2147483648", queued.extra().get("a"), "a number outside the amount fields is kept as written");
  }

  @Test
  void signedPostback_sentTwice_isAcceptedOnceThenRefusedAsAReplay() {
    String secret = "signing-secret-0123456789";
    campaigns.put(dev.postbackrelay.testing.CampaignBuilder.campaign("signed-pb").signingSecret(secret)
        .affiliate("aff-42", (String) null).build());
    Instant now = Instant.now();
    String signedClick = clickIds.issue(now);
    clicks.put(Click.builder().clickId(signedClick).campaignId("signed-pb").affiliateId("aff-42").createdAt(now)
        .ip("203.0.113.10").userAgent("UA").expiresAt(now.plusSeconds(86400)).build());
    var params = new java.util.LinkedHashMap<String, String>();
    params.put("campaign_id", "signed-pb");
    params.put("click_id", signedClick);
    params.put("txid", "SIG-1");
    params.put("ts", Long.toString(now.getEpochSecond()));
    String sig = dev.postbackrelay.postback.PostbackSignature.sign(secret,
        dev.postbackrelay.postback.PostbackSignature.stringToSign("GET", dev.postbackrelay.common.Params.of(params).pairs()));
    String query = "campaign_id=signed-pb&click_id=" + signedClick + "&txid=SIG-1&ts=" + now.getEpochSecond() + "&sig=" + sig;

    JsonNode first = Events.invoke(Events.http("GET", "GET /postback", "/postback", query));
    assertEquals(200, first.path("statusCode").asInt(), first.toString());
    assertEquals("SIG-1", onlyQueued().txid());

    JsonNode replay = assertRejected(query, 409, "replayed_signature");
    assertTrue(replay.path("message").asText().contains("once"), replay.toString());
    assertRejected(query + "&TXID=other", 400, "invalid_parameter"); // a repeated name in a signed postback
  }

  private static ObjectNode jsonPostback(String body) {
    ObjectNode event = Events.load("postback-post-json.json");
    event.put("body", body);
    return event;
  }

  @Test
  void aRefusedPostback_isInTheReceivedLog_underTheCampaignItsClickBelongsTo_withTheTokenMasked() {
    String ip = "192.0.2." + (1 + (int) (Math.random() * 250));
    ObjectNode event = Events.http("GET", "GET /postback", "/postback",
        "clickid=" + clickId + "&token=wrong-token&sum=12.50&utm_source=feed");
    ((ObjectNode) event.get("requestContext").get("http")).put("sourceIp", ip);
    Instant before = Instant.now();

    assertEquals(403, Events.invoke(event).path("statusCode").asInt());

    var page = received.list(new ReceivedQuery(null, ip, null, before.minusSeconds(1), Instant.now().plusSeconds(1),
        null, null, null, 50, null));
    assertEquals(1, page.items().size(), page.items().toString());
    RefusedPostback r = ((ReceivedEntry.Refused) page.items().get(0)).refusal();
    assertEquals("bad_token", r.reason());
    assertEquals("summer-sale", r.campaignId(), "filed under the campaign the edge resolved from the click");
    assertEquals(List.of(Map.entry("clickid", clickId), Map.entry("token", Masking.MASK), Map.entry("sum", "12.50"),
        Map.entry("utm_source", "feed")), r.params());
    assertEquals("clickid", r.fieldNames().get("click_id"));
    assertEquals("GET", r.method());
    assertEquals(1, received.list(new ReceivedQuery("summer-sale", null, null, before.minusSeconds(1),
        Instant.now().plusSeconds(1), "refused", null, null, 500, null)).items().stream()
        .filter(e -> e.id().equals(r.id())).count());
  }

  @Test
  void aPostbackWhoseBodyCannotBeRead_isLogged_withItsQueryParameters() {
    String ip = "192.0.2." + (1 + (int) (Math.random() * 250));
    ObjectNode event = Events.http("POST", "POST /postback", "/postback", "click_id=" + clickId + "&token=secret-value");
    ((ObjectNode) event.get("requestContext").get("http")).put("sourceIp", ip);
    ((ObjectNode) event.get("headers")).put("content-type", "text/xml");
    event.put("body", "<postback/>");
    Instant before = Instant.now();

    assertEquals(415, Events.invoke(event).path("statusCode").asInt());

    var page = received.list(new ReceivedQuery(null, ip, null, before.minusSeconds(1), Instant.now().plusSeconds(1),
        null, null, null, 50, null));
    RefusedPostback r = ((ReceivedEntry.Refused) page.items().get(0)).refusal();
    assertEquals("unsupported_media_type", r.reason());
    assertEquals(List.of(Map.entry("click_id", clickId), Map.entry("token", Masking.MASK)), r.params());
    assertEquals("POST", r.method());
  }

  private JsonNode assertRejectedJson(String body, int status, String reason) {
    JsonNode response = Events.invoke(jsonPostback(body));
    assertEquals(status, response.path("statusCode").asInt(), body + " -> " + response);
    assertEquals(reason, Events.body(response).path("error").asText());
    assertTrue(queued().isEmpty(), "nothing is queued for a rejected postback");
    return response;
  }

  private JsonNode assertRejected(String query, int status, String reason) {
    JsonNode response = Events.invoke(Events.http("GET", "GET /postback", "/postback", query));
    assertEquals(status, response.path("statusCode").asInt(), response.toString());
    JsonNode body = Events.body(response);
    assertEquals(reason, body.path("error").asText());
    assertTrue(body.path("message").asText().length() > 10);
    assertTrue(queued().isEmpty(), "nothing is queued for a rejected postback");
    return body;
  }

  private Postback onlyQueued() {
    List<Postback> queued = queued();
    assertEquals(1, queued.size(), "exactly one message on the conversion queue");
    return queued.get(0);
  }

  static List<Postback> queued() {
    List<Postback> out = new ArrayList<>();
    try (var sqs = LocalAwsResource.aws().sqs()) {
      String url = LocalAwsResource.aws().queueUrl("ConversionQueue");
      while (true) {
        var messages = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        if (messages.isEmpty()) {
          return out;
        }
        for (var m : messages) {
          out.add(PostbackJson.read(m.body()));
          sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
        }
      }
    }
  }

  static void drainQueue() {
    queued();
  }
}
