package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /admin/postbacks/dry-run} through the admin handler on DynamoDB Local: what it
 * answers for pasted postbacks, and that it writes nothing.
 */
@QuarkusTest
@TestProfile(Profiles.Admin.class)
public class AdminDryRunTest {

  @Inject
  ClickIds clickIds;
  @Inject
  ClickStore clicks;
  @Inject
  ConversionStore conversions;

  private final String campaign = "c-dry-" + UUID.randomUUID().toString().substring(0, 8);

  @Test
  void aPastedUrl_isExplained_checkByCheck_withTheBookingAndTheRequest_andNothingIsWritten() {
    putCampaign();
    String clickId = click();

    JsonNode response = dryRun("{\"url\":\"https://relay.example/postback?clickid=" + clickId
        + "&goal=sale&sum=40&key=s3cret-token&sub7=x\",\"source_ip\":\"203.0.113.7\"}");

    assertEquals(200, response.path("statusCode").asInt(), response.toString());
    JsonNode run = Events.body(response);
    assertEquals("accepted", run.path("verdict").asText(), run.toString());
    assertEquals(200, run.path("answer").path("http_status").asInt());
    assertEquals("203.0.113.7", run.path("request").path("source_ip").asText());
    assertEquals(List.of("click_id<-clickid", "event<-goal", "amount<-sum", "token<-key"), fields(run));
    assertFalse(run.toString().contains("s3cret-token"), "the token is masked: " + run);
    assertEquals("passed", check(run, "token").path("result").asText());
    assertEquals("not_applicable", check(run, "signature").path("result").asText());
    assertEquals("attributed", run.path("attribution").path("decision").asText());
    assertEquals("4", run.path("attribution").path("booked").path("payout").asText(), "10% of 40");
    JsonNode delivery = run.path("deliveries").get(0);
    assertEquals("affiliate:a1", delivery.path("destination").asText());
    assertEquals("https://partner.example.com/pb?c=" + clickId + "&p=4.00", delivery.path("url").asText());
    assertTrue(conversions.findByClick(clickId).isEmpty(), "the dry run booked nothing");
  }

  @Test
  void aRefusedPostback_namesTheFailedCheck_andAnUnreadableOne_isRefusedToo_with200() {
    putCampaign();
    String clickId = click();

    JsonNode macro = Events.body(dryRun("{\"query\":\"?click_id={clickid}&campaign_id=" + campaign + "\"}"));
    assertEquals("refused", macro.path("verdict").asText());
    assertEquals("unsubstituted_macro", macro.path("answer").path("error").asText());
    assertEquals("failed", check(macro, "macros").path("result").asText());
    assertEquals("not_reached", check(macro, "token").path("result").asText());
    assertTrue(macro.path("request").path("source_ip_assumed").asBoolean());

    JsonNode token = Events.body(dryRun("{\"query\":\"click_id=" + clickId + "&token=guess\"}"));
    assertEquals("bad_token", token.path("answer").path("error").asText());
    assertEquals(403, token.path("answer").path("http_status").asInt());
    assertEquals("passed", check(token, "click").path("result").asText(), "the click named the campaign");

    JsonNode broken = dryRun("{\"query\":\"click_id=%zz\"}");
    assertEquals(200, broken.path("statusCode").asInt());
    assertEquals("invalid_parameter", Events.body(broken).path("answer").path("error").asText());
  }

  @Test
  void aMalformedDryRunRequest_is400_withTheMember() {
    JsonNode neither = dryRun("{\"method\":\"GET\"}");
    assertEquals(400, neither.path("statusCode").asInt());
    assertEquals("url", Events.body(neither).path("parameter").asText());

    JsonNode unknown = dryRun("{\"query\":\"a=1\",\"sourceip\":\"1.2.3.4\"}");
    assertEquals(400, unknown.path("statusCode").asInt());
    assertEquals("sourceip", Events.body(unknown).path("parameter").asText());

    JsonNode badIp = dryRun("{\"query\":\"a=1\",\"source_ip\":\"10.0.0.0/8\"}");
    assertEquals("source_ip", Events.body(badIp).path("parameter").asText());
    assertEquals(400, dryRun("not json").path("statusCode").asInt());
  }

  private void putCampaign() {
    ObjectNode put = Events.http("PUT", "PUT /admin/campaigns/{campaign_id}", "/admin/campaigns/" + campaign, "");
    put.putObject("pathParameters").put("campaign_id", campaign);
    ((ObjectNode) put.get("headers")).put("content-type", "application/json")
        .put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    put.put("body", """
        {"landing_url":"https://shop.example.com/lp?cid={click_id}","postback_token":"s3cret-token",
         "payouts":{"*":{"type":"percent","value":"10"}},
         "affiliates":{"a1":{"postback_url":"https://partner.example.com/pb?c={click_id}&p={payout}"}}}""");
    JsonNode response = Events.invoke(put);
    assertEquals(200, response.path("statusCode").asInt(), response.toString());
  }

  private String click() {
    Instant now = Instant.now();
    String clickId = clickIds.issue(now);
    clicks.put(Click.builder().clickId(clickId).campaignId(campaign).affiliateId("a1").createdAt(now.minusSeconds(60))
        .subs(Map.of()).ip("198.51.100.1").userAgent("UA").expiresAt(now.plusSeconds(3600)).build());
    return clickId;
  }

  private static JsonNode dryRun(String body) {
    ObjectNode event = Events.http("POST", "POST /admin/postbacks/dry-run", "/admin/postbacks/dry-run", "");
    ((ObjectNode) event.get("headers")).put("content-type", "application/json")
        .put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    event.put("body", body);
    return Events.invoke(event);
  }

  private static List<String> fields(JsonNode run) {
    List<String> fields = new ArrayList<>();
    run.path("fields").forEach(f -> fields.add(f.path("field").asText() + "<-" + f.path("sent_as").asText()));
    return fields;
  }

  private static JsonNode check(JsonNode run, String name) {
    for (JsonNode c : run.path("checks")) {
      if (c.path("check").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no check " + name + " in " + run);
  }
}
