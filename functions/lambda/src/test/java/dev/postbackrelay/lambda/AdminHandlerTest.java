package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.forwarding.DeliveryLog;
import dev.postbackrelay.forwarding.DeliveryLogEntry;
import dev.postbackrelay.logs.CapScope;
import dev.postbackrelay.common.Masking;
import dev.postbackrelay.logs.RefusalStore;
import dev.postbackrelay.logs.RefusedPostback;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  @Inject
  RefusalStore refusals;
  @Inject
  DeliveryLog deliveryLog;

  private final PostbackIds ids = new PostbackIds();

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

  @Test
  void listPostbacks_showsRefusedAndAcceptedNewestFirst_andPagesWithACursor() {
    String campaign = "c-list-" + System.nanoTime();
    Instant now = Instant.now();
    for (int i = 0; i < 3; i++) {
      Instant at = now.minusSeconds(30 - i);
      refusals.recordUnderCap(new RefusedPostback(ids.next(at), at, "GET", "192.0.2.77", campaign,
          List.of(Map.entry("token", Masking.MASK), Map.entry("clickid", "{clickid}")), Map.of("click_id", "{clickid}"),
          Map.of("click_id", "clickid"), "unsubstituted_macro", "Parameter 'clickid' holds the unsubstituted macro."),
          List.of(CapScope.campaign(campaign), CapScope.sourceIp("192.0.2.77")), at.truncatedTo(ChronoUnit.MINUTES), 60);
    }
    Postback accepted = Postback.builder().postbackId(ids.next(now.minusSeconds(1))).receivedAt(now.minusSeconds(1))
        .sourceIp("192.0.2.78").clickId("x").campaignId(campaign).event("sale").txid("T1").extra(Map.of("email", "a@b.c"))
        .authenticatedBy(Set.of()).build();
    log.record(new PostbackRecord(accepted, new Decision(Decision.Outcome.ATTRIBUTED, null, "x/sale#T1"), now));

    JsonNode first = Events.body(Events.invoke(list("campaign_id=" + campaign + "&limit=2")));
    assertEquals(List.of("accepted", "refused"), kinds(first));
    assertEquals("********", first.path("items").get(0).path("extra").path("email").asText(), "personal data is masked");
    JsonNode refused = first.path("items").get(1);
    assertEquals("unsubstituted_macro", refused.path("reason").asText());
    assertEquals("clickid", refused.path("fields").path("click_id").path("read_from").asText());
    String next = first.path("next").asText();
    JsonNode second = Events.body(Events.invoke(list("campaign_id=" + campaign + "&limit=2&next=" + next)));
    assertEquals(List.of("refused", "refused"), kinds(second));
    JsonNode onlyRefused = Events.body(Events.invoke(list("campaign_id=" + campaign + "&decision=refused")));
    assertEquals(3, onlyRefused.path("items").size());
  }

  @Test
  void listPostbacks_refusesAQuestionWithoutAKey_aBadTime_andAnUnknownFilter() {
    for (String query : List.of("", "campaign_id=c1&from=yesterday", "campaign_id=c1&colour=red", "campaign_id=c1&limit=501",
        "campaign_id=c1&next=not-a-cursor")) {
      JsonNode response = Events.invoke(list(query));
      assertEquals(400, response.path("statusCode").asInt(), query + " -> " + response);
      assertEquals("invalid_parameter", Events.body(response).path("error").asText());
    }
  }

  @Test
  void listCampaigns_newestChangeFirst_byStatus_andAnArchivedCampaignKeepsItsData() {
    String a = "c-ls-a-" + System.nanoTime();
    String b = "c-ls-b-" + System.nanoTime();
    assertEquals(200, Events.invoke(admin("PUT", a, CAMPAIGN, true)).path("statusCode").asInt());
    assertEquals(200, Events.invoke(admin("PUT", b, CAMPAIGN.replace("\"landing_url\"", "\"status\":\"archived\",\"landing_url\""),
        true)).path("statusCode").asInt());

    JsonNode archived = Events.body(Events.invoke(listCampaigns("status=archived&limit=500")));
    List<String> ids = new ArrayList<>();
    archived.path("items").forEach(i -> ids.add(i.path("campaign_id").asText()));
    assertTrue(ids.contains(b), ids.toString());
    assertFalse(ids.contains(a));
    JsonNode all = Events.body(Events.invoke(listCampaigns("limit=2")));
    assertEquals(2, all.path("items").size());
    assertEquals(b, all.path("items").get(0).path("campaign_id").asText(), "the campaign changed last comes first");
    assertEquals(1, all.path("items").get(0).path("affiliates").asInt());
    assertEquals("archived", Events.body(Events.invoke(admin("GET", b, null, true))).path("status").asText(),
        "an archived campaign is still there to read");
    assertEquals(400, Events.invoke(listCampaigns("status=deleted")).path("statusCode").asInt());
  }

  @Test
  void listClicksAndConversions_ofOneCampaign_newestFirst_withoutPersonalData() {
    String campaign = "c-lists-" + System.nanoTime();
    Instant now = Instant.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Instant at = now.minusSeconds(10 - i);
      String id = clickIds.issue(at);
      clicks.put(Click.builder().clickId(id).campaignId(campaign).affiliateId(i == 0 ? "a2" : "a1").createdAt(at)
          .subs(Map.of("sub1", "s" + i)).ip("203.0.113.9").userAgent("UA").expiresAt(at.plusSeconds(86400)).build());
      ids.add(0, id);
    }
    conversions.createIfAbsent("sale#T1", Conversion.builder().clickId(ids.get(0)).event("sale").txid("T1")
        .campaignId(campaign).affiliateId("a1").status(ConversionStatus.APPROVED).amount(new BigDecimal("10"))
        .currency("EUR").payout(new BigDecimal("2")).payoutCurrency("EUR").createdAt(now).postbackId(ids.get(0))
        .extra(Map.of()).history(List.of(new StatusChange(null, ConversionStatus.APPROVED, now, "p1")))
        .deliveries(List.of(new DeliveryAttempt("affiliate:a1", ConversionStatus.APPROVED, now, 503, 12, "http_503")))
        .build());

    JsonNode page = Events.body(Events.invoke(adminGet("/admin/clicks", "campaign_id=" + campaign + "&limit=2")));
    assertEquals(ids.subList(0, 2), List.of(page.path("items").get(0).path("click_id").asText(),
        page.path("items").get(1).path("click_id").asText()));
    assertFalse(page.toString().contains("203.0.113.9"), "no visitor address in the list");
    JsonNode rest = Events.body(Events.invoke(adminGet("/admin/clicks",
        "campaign_id=" + campaign + "&limit=2&next=" + page.path("next").asText())));
    assertEquals(ids.get(2), rest.path("items").get(0).path("click_id").asText());
    assertEquals(1, Events.body(Events.invoke(adminGet("/admin/clicks", "campaign_id=" + campaign + "&affiliate_id=a2")))
        .path("items").size());

    JsonNode convs = Events.body(Events.invoke(adminGet("/admin/conversions", "campaign_id=" + campaign + "&status=approved")));
    assertEquals(1, convs.path("items").size(), convs.toString());
    JsonNode c = convs.path("items").get(0);
    assertEquals(1, c.path("history_length").asInt());
    assertEquals("http_503", c.path("delivery_summary").path("affiliate:a1").path("last_error").asText());
    assertFalse(c.path("delivery_summary").path("affiliate:a1").path("delivered").asBoolean());
    assertEquals(0, Events.body(Events.invoke(adminGet("/admin/conversions", "campaign_id=" + campaign + "&status=pending")))
        .path("items").size());
    assertEquals(400, Events.invoke(adminGet("/admin/conversions", "status=approved")).path("statusCode").asInt(),
        "campaign_id is required");
  }

  @Test
  void listDeliveries_showsEachAttempt_andRetryQueuesItOnce_or404sForAnUnknownId() {
    String campaign = "c-dlv-" + System.nanoTime();
    Delivery d = new Delivery("click-" + System.nanoTime(), "sale#T1", "affiliate:a1", ConversionStatus.APPROVED, null);
    Instant now = Instant.now();
    deliveryLog.record(new DeliveryLogEntry(d.idempotencyKey(), campaign, d.clickId(), d.conversionKey(),
        d.destinationId(), d.status(), 1, now.minusSeconds(5), DeliveryLogEntry.Outcome.RETRYING, "GET",
        "https://partner.example/pb?token=********", null, 503, null, 40, now.plusSeconds(55), "http_503"));

    JsonNode page = Events.body(Events.invoke(adminGet("/admin/deliveries", "campaign_id=" + campaign + "&outcome=retrying")));
    assertEquals(1, page.path("items").size(), page.toString());
    JsonNode entry = page.path("items").get(0);
    assertEquals("retrying", entry.path("outcome").asText());
    assertEquals(503, entry.path("http_status").asInt());
    assertEquals(d.idempotencyKey(), entry.path("delivery_id").asText());

    ObjectNode retry = Events.http("POST", "POST /admin/deliveries/{delivery_id}/retry",
        "/admin/deliveries/" + d.idempotencyKey() + "/retry", "");
    retry.putObject("pathParameters").put("delivery_id", d.idempotencyKey());
    ((ObjectNode) retry.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    JsonNode retried = Events.invoke(retry);
    assertEquals(200, retried.path("statusCode").asInt(), retried.toString());
    assertTrue(Events.body(retried).path("queued").asBoolean());

    retry.putObject("pathParameters").put("delivery_id", "00000000-0000-0000-0000-000000000000");
    assertEquals(404, Events.invoke(retry).path("statusCode").asInt());
    assertEquals(400, Events.invoke(adminGet("/admin/deliveries", "campaign_id=" + campaign + "&outcome=lost"))
        .path("statusCode").asInt());
  }

  private static ObjectNode adminGet(String path, String query) {
    ObjectNode event = Events.http("GET", "GET " + path, path, query);
    ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    return event;
  }

  private static ObjectNode listCampaigns(String query) {
    ObjectNode event = Events.http("GET", "GET /admin/campaigns", "/admin/campaigns", query);
    ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    return event;
  }

  private static ObjectNode list(String query) {
    ObjectNode event = Events.http("GET", "GET /admin/postbacks", "/admin/postbacks", query);
    ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    return event;
  }

  private static List<String> kinds(JsonNode page) {
    List<String> kinds = new ArrayList<>();
    page.path("items").forEach(i -> kinds.add(i.path("kind").asText()));
    return kinds;
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
