package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.postback.Postback;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(Profiles.Admin.class)
public class AdminHandlerTest {

  @Inject
  ClickIds clickIds;
  @Inject
  ClickStore clicks;
  @Inject
  ConversionStore conversions;
  @Inject
  PostbackLog log;

  static final String CAMPAIGN = """
      {"landing_url":"https://shop.example.com/lp?cid={click_id}","postback_token":"s3cret-token",
       "attribution_window_days":30,"affiliates":{"a1":{"postback_url":"https://partner.example.com/pb?c={click_id}"}}}""";

  @Test
  void putThenGet_roundTripsTheCampaignWithSecretsMasked() {
    JsonNode put = Events.invoke(admin("PUT", "c-admin", CAMPAIGN, true));
    assertEquals(200, put.path("statusCode").asInt(), put.toString());

    JsonNode got = Events.invoke(admin("GET", "c-admin", null, true));

    assertEquals(200, got.path("statusCode").asInt());
    JsonNode body = Events.body(got);
    assertEquals("https://shop.example.com/lp?cid={click_id}", body.path("landing_url").asText());
    assertEquals(30, body.path("attribution_window_days").asInt());
    assertFalse(body.path("postback_token").asText().contains("s3cret"), "secrets are never shown");
    assertEquals("https://partner.example.com/pb?c={click_id}", body.path("affiliates").path("a1").path("postback_url").asText());
  }

  @Test
  void withoutTheBearerToken_is401() {
    JsonNode response = Events.invoke(admin("GET", "c-admin", null, false));

    assertEquals(401, response.path("statusCode").asInt());
    assertEquals("unauthorized", Events.body(response).path("error").asText());
  }

  @Test
  void invalidBody_is400WithAReason() {
    JsonNode response = Events.invoke(admin("PUT", "c-bad", "{\"landing_url\":\"https://x.example\",\"attribution_window_days\":\"thirty\"}", true));

    assertEquals(400, response.path("statusCode").asInt());
    assertEquals("invalid_campaign", Events.body(response).path("error").asText());
  }

  @Test
  void landingUrlWithAScriptScheme_isRefused() {
    JsonNode response = Events.invoke(admin("PUT", "c-js",
        "{\"landing_url\":\"javascript:alert(1)\",\"affiliates\":{\"a1\":{}}}", true));

    assertEquals(400, response.path("statusCode").asInt());
    assertEquals("forbidden_destination", Events.body(response).path("error").asText());
  }

  @Test
  void controlCharacterInAQueryName_is400BeforeAnythingIsReplayed() {
    ObjectNode event = Events.http("POST", "POST /admin/deliveries/replay", "/admin/deliveries/replay", "max=1&%01=x");
    ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);

    JsonNode response = Events.invoke(event);

    assertEquals(400, response.path("statusCode").asInt(), response.toString());
    assertEquals("invalid_parameter", Events.body(response).path("error").asText());
  }

  @Test
  void unknownCampaign_is404() {
    JsonNode response = Events.invoke(admin("GET", "c-none", null, true));

    assertEquals(404, response.path("statusCode").asInt());
    assertEquals("not_found", Events.body(response).path("error").asText());
  }

  @Test
  void clickAndPostbackLog_showTheDecisionsConversionsAndDeliveries() {
    String clickId = clickIds.issue(Instant.now());
    Instant at = Instant.now();
    clicks.put(Click.builder().clickId(clickId).campaignId("c-log").affiliateId("a1").createdAt(at)
        .subs(Map.of("sub1", "s1")).ip("203.0.113.1").userAgent("UA").expiresAt(at.plusSeconds(3600)).build());
    var status = ConversionStatus.APPROVED;
    conversions.createIfAbsent("sale#T1", Conversion.builder().clickId(clickId).event("sale").txid("T1")
        .campaignId("c-log").affiliateId("a1").status(status).amount(new BigDecimal("10")).currency("USD")
        .payout(new BigDecimal("2.5")).payoutCurrency("USD").createdAt(at).postbackId("pb-log-1")
        .history(List.of(new StatusChange(null, status, at, "pb-log-1"))).build());
    conversions.recordDelivery(clickId, "sale#T1",
        new DeliveryAttempt("affiliate:a1", status, at, 200, 12, null));
    var postback = Postback.builder().postbackId("pb-log-1").receivedAt(at).sourceIp("198.51.100.7")
        .clickId(clickId).campaignId("c-log").event("sale").txid("T1").build();
    log.record(new PostbackRecord(postback,
        new Decision(Decision.Outcome.ATTRIBUTED, null,
            clickId + "/sale#T1"), at));

    ObjectNode byPostback = Events.http("GET", "GET /admin/postbacks/{postback_id}", "/admin/postbacks/pb-log-1", "");
    byPostback.putObject("pathParameters").put("postback_id", "pb-log-1");
    ((ObjectNode) byPostback.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    JsonNode record = Events.body(Events.invoke(byPostback));
    assertEquals("attributed", record.path("decision").asText());
    assertEquals("198.51.100.7", record.path("source_ip").asText());

    ObjectNode byClick = Events.http("GET", "GET /admin/clicks/{click_id}", "/admin/clicks/" + clickId, "");
    byClick.putObject("pathParameters").put("click_id", clickId);
    ((ObjectNode) byClick.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    JsonNode story = Events.body(Events.invoke(byClick));
    assertEquals("s1", story.path("click").path("subs").path("sub1").asText());
    JsonNode conversion = story.path("conversions").get(0);
    assertEquals("approved", conversion.path("status").asText());
    assertEquals(1, conversion.path("status_history").size());
    assertEquals(200, conversion.path("deliveries").get(0).path("http_status").asInt());
    assertEquals("pb-log-1", story.path("postbacks").get(0).path("postback_id").asText());
  }

  @Test
  void postbackUrls_pointAtTheHostCalled_inEachSystemsMacros_withTheCampaignsToken() {
    assertEquals(200, Events.invoke(admin("PUT", "c-urls", CAMPAIGN, true)).path("statusCode").asInt());
    ObjectNode event = Events.http("GET", "GET /admin/campaigns/{campaign_id}/postback-urls",
        "/admin/campaigns/c-urls/postback-urls", "");
    event.putObject("pathParameters").put("campaign_id", "c-urls");
    ObjectNode headers = (ObjectNode) event.get("headers");
    headers.put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    headers.put("host", "relay.example.com").put("x-forwarded-proto", "https");

    JsonNode answer = Events.invoke(event);

    assertEquals(200, answer.path("statusCode").asInt(), answer.toString());
    JsonNode everflow = Events.body(answer).path("systems").get(0);
    assertEquals("Everflow", everflow.path("system").asText());
    assertEquals("https://relay.example.com/postback?campaign_id=c-urls&click_id={sub1}&txid={transaction_id}"
        + "&payout={payout}&token=s3cret-token", everflow.path("url").asText());
    assertEquals(10, Events.body(answer).path("systems").size());
    ObjectNode unknown = event.deepCopy();
    unknown.putObject("pathParameters").put("campaign_id", "no-such-campaign");
    assertEquals(404, Events.invoke(unknown).path("statusCode").asInt());
  }

  private static ObjectNode admin(String method, String campaignId, String body, boolean authorised) {
    String route = method + " /admin/campaigns/{campaign_id}";
    ObjectNode event = Events.http(method, route, "/admin/campaigns/" + campaignId, "");
    event.putObject("pathParameters").put("campaign_id", campaignId);
    ObjectNode headers = (ObjectNode) event.get("headers");
    headers.put("content-type", "application/json");
    if (authorised) {
      headers.put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    }
    if (body != null) {
      event.put("body", body);
    }
    return event;
  }
}
