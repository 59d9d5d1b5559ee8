package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(Profiles.Admin.class)
public class AdminHandlerTest {

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
  void unknownCampaign_is404() {
    JsonNode response = Events.invoke(admin("GET", "c-none", null, true));

    assertEquals(404, response.path("statusCode").asInt());
    assertEquals("not_found", Events.body(response).path("error").asText());
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
