package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The campaign rules as the admin route applies them: PUT through the real handler, DynamoDB Local behind it. */
@QuarkusTest
@TestProfile(Profiles.Admin.class)
public class AdminCampaignRulesTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickStore clicks;
  @Inject
  ClickIds clickIds;

  private static final String AFFILIATES = "\"affiliates\":{\"a1\":{\"postback_url\":\"https://partner.example.com/pb?c={click_id}\"}}";

  static JsonNode put(String campaignId, String body) {
    ObjectNode event = Events.http("PUT", "PUT /admin/campaigns/{campaign_id}", "/admin/campaigns/" + campaignId, "");
    event.putObject("pathParameters").put("campaign_id", campaignId);
    ((ObjectNode) event.get("headers")).put("content-type", "application/json")
        .put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    event.put("body", body);
    return Events.invoke(event);
  }

  static JsonNode get(String route, String name, String path, String id) {
    ObjectNode event = Events.http("GET", route, path + id, "");
    event.putObject("pathParameters").put(name, id);
    ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    return Events.invoke(event);
  }

  private static String id() {
    return "c-" + UUID.randomUUID();
  }

  private static void assertRefused(JsonNode response, String... mentions) {
    assertEquals(400, response.path("statusCode").asInt(), response.toString());
    JsonNode body = Events.body(response);
    assertEquals("invalid_campaign", body.path("error").asText(), body.toString());
    for (String m : mentions) {
      assertTrue(body.path("message").asText().contains(m), m + " not in " + body);
    }
  }

  // -- item 1: no campaign without postback authentication

  @Test
  void campaignWithoutPostbackCredentials_isRefused_namingThePossibleCredentials() {
    JsonNode response = put(id(), "{\"landing_url\":\"https://shop.example.com/lp\"," + AFFILIATES + "}");

    assertRefused(response, "postback_token", "signing_secret", "ip_allowlist", "postback_auth");
  }

  @Test
  void explicitlyUnauthenticatedCampaign_isStored_andEveryViewWarnsThatConversionsCanBeForged() {
    String campaignId = id();
    JsonNode put = put(campaignId, "{\"landing_url\":\"https://shop.example.com/lp\",\"postback_auth\":\"none\","
        + AFFILIATES + "}");
    assertEquals(200, put.path("statusCode").asInt(), put.toString());

    JsonNode view = Events.body(get("GET /admin/campaigns/{campaign_id}", "campaign_id", "/admin/campaigns/", campaignId));
    String clickId = clickIds.issue(Instant.now());
    clicks.put(Click.builder().clickId(clickId).campaignId(campaignId).affiliateId("a1").createdAt(Instant.now())
        .ip("203.0.113.1").userAgent("UA").expiresAt(Instant.now().plusSeconds(3600)).build());
    JsonNode story = Events.body(get("GET /admin/clicks/{click_id}", "click_id", "/admin/clicks/", clickId));

    for (JsonNode shown : new JsonNode[] {Events.body(put), view, story}) {
      assertTrue(shown.toString().contains("\"postback_auth\":\"none\""), shown.toString());
      assertTrue(shown.path("warnings").toString().contains("forge"), shown.toString());
    }
    assertEquals(200, put(campaignId, view.toString()).path("statusCode").asInt(), "a GET can be PUT back as it is");
  }

  @Test
  void whiteSpaceToken_isRefused() {
    assertRefused(put(id(), "{\"landing_url\":\"https://shop.example.com/lp\",\"postback_token\":\"          \","
        + AFFILIATES + "}"), "postback_token");
  }

  // -- item 4: secrets cannot be walked to another host

  private static String withDestination(String destination) {
    return "{\"landing_url\":\"https://shop.example.com/lp\",\"postback_token\":\"s3cret-token\"," + AFFILIATES
        + ",\"destinations\":[" + destination + "]}";
  }

  @Test
  void maskedSecret_sentBackWithAnotherUrl_isRefused_untilTheSecretIsSentAgain() {
    String campaignId = id();
    assertEquals(200, put(campaignId, withDestination("{\"id\":\"d1\",\"url\":\"https://partner.example.com/pb\","
        + "\"signing_secret\":\"whsec_0123456789abcdef\"}")).path("statusCode").asInt());

    JsonNode walked = put(campaignId, withDestination("{\"id\":\"d1\",\"url\":\"https://attacker.example.net/pb\","
        + "\"signing_secret\":\"********\"}"));

    assertRefused(walked, "destinations[d1]", "signing_secret");
    assertEquals("https://partner.example.com/pb", campaigns.find(campaignId).orElseThrow().destinations().get(0).url());
    assertEquals(200, put(campaignId, withDestination("{\"id\":\"d1\",\"url\":\"https://attacker.example.net/pb\","
        + "\"signing_secret\":\"whsec_new-secret-0000\"}")).path("statusCode").asInt(), "sent again, it is fine");
  }

  @Test
  void maskedSecret_sentBackWithAnotherTokenUrlOrType_isRefused() {
    String campaignId = id();
    String google = "{\"id\":\"g1\",\"type\":\"google_ads\",\"settings\":{\"customer_id\":\"1234567890\","
        + "\"conversion_action\":\"987\",\"developer_token\":\"%s\",\"client_id\":\"client-1\",\"client_secret\":\"%s\","
        + "\"refresh_token\":\"%s\",\"token_url\":\"%s\"}}";
    assertEquals(200, put(campaignId, withDestination(String.format(google, "dev-token", "shh", "1//refresh",
        "https://oauth2.googleapis.com/token"))).path("statusCode").asInt());

    assertRefused(put(campaignId, withDestination(String.format(google, "********", "********", "********",
        "https://attacker.example.net/token"))), "destinations[g1]", "token_url");
    String asMeta = String.format(google, "dev-token", "********", "1//refresh", "https://oauth2.googleapis.com/token")
        .replace("google_ads", "meta_capi")
        .replace("\"customer_id\"", "\"pixel_id\":\"1\",\"access_token\":\"meta-token\",\"customer_id\"");
    assertRefused(put(campaignId, withDestination(asMeta)), "destinations[g1]", "type");
    assertEquals(200, put(campaignId, withDestination(String.format(google, "********", "********", "********",
        "https://oauth2.googleapis.com/token"))).path("statusCode").asInt(), "unchanged endpoints keep the secrets");
  }

  // -- item 6: bounded numbers, never a 5xx

  @Test
  void hugeNumbers_are400_never5xx() {
    for (String field : new String[] {"\"attribution_window_days\":9223372036854775807",
        "\"attribution_window_days\":-9223372036854775808", "\"attribution_window_days\":1e2147483648",
        "\"min_click_age_seconds\":9223372036854775807",
        "\"payouts\":{\"sale\":{\"type\":\"fixed\",\"value\":\"1e10000000\"}}",
        "\"payouts\":{\"sale\":{\"type\":\"fixed\",\"value\":\"1e-10000000\"}}",
        "\"payouts\":{\"sale\":{\"type\":\"percent\",\"value\":1e2147483648}}",
        "\"payouts\":{\"sale\":{\"type\":\"fixed\",\"value\":\"1e2147483648\"}}"}) {
      JsonNode response = put(id(), "{\"landing_url\":\"https://shop.example.com/lp\",\"postback_token\":\"s3cret-token\","
          + field + "," + AFFILIATES + "}");

      assertEquals(400, response.path("statusCode").asInt(), field + " -> " + response);
    }
  }
}
