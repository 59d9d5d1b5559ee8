package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The admin function without a click-id key configured (the keys' secret unreadable, say): every
 * route but the dry run, which verifies click ids, works without one (the keys are read only when
 * the dry run first runs). It stores campaigns, shows a click's story, and refuses the deploy
 * hook's probe, an admin request without credentials, with 401 before anything is read or stored.
 */
@QuarkusTest
@TestProfile(Profiles.AdminWithoutClickIdKeys.class)
public class AdminWithoutClickIdKeysTest {

  @Inject
  ClickStore clicks;

  @Test
  void campaignsAndClicks_withoutAnyClickIdKey() {
    String campaignId = "c-" + UUID.randomUUID();
    ObjectNode put = admin("PUT", "/admin/campaigns/{campaign_id}", "campaign_id", campaignId, true);
    put.put("body", "{\"landing_url\":\"https://shop.example.com/lp?cid={click_id}\",\"postback_token\":\"s3cret-token\","
        + "\"affiliates\":{\"a1\":{\"postback_url\":\"https://partner.example.com/pb?c={click_id}\"}}}");
    assertEquals(200, Events.invoke(put).path("statusCode").asInt());

    String clickId = UUID.randomUUID().toString().replace("-", "");
    Instant at = Instant.now();
    clicks.put(Click.builder().clickId(clickId).campaignId(campaignId).affiliateId("a1").createdAt(at)
        .subs(Map.of("sub1", "s1")).ip("203.0.113.1").userAgent("UA").expiresAt(at.plusSeconds(3600)).build());
    JsonNode story = Events.invoke(admin("GET", "/admin/clicks/{click_id}", "click_id", clickId, true));

    assertEquals(200, story.path("statusCode").asInt(), story.toString());
    assertEquals("s1", Events.body(story).path("click").path("subs").path("sub1").asText());
  }

  @Test
  void preTrafficProbe_withoutCredentials_is401_andStoresNothing() {
    String campaignId = "pretraffic-probe-no-such-campaign";

    JsonNode response = Events.invoke(admin("GET", "/admin/campaigns/{campaign_id}", "campaign_id", campaignId, false));

    assertEquals(401, response.path("statusCode").asInt());
    assertEquals("unauthorized", Events.body(response).path("error").asText());
    JsonNode lookup = Events.invoke(admin("GET", "/admin/campaigns/{campaign_id}", "campaign_id", campaignId, true));
    assertEquals(404, lookup.path("statusCode").asInt(), "the probe's campaign exists: " + lookup);
  }

  private static ObjectNode admin(String method, String route, String parameter, String value, boolean authorised) {
    String path = route.replace("{" + parameter + "}", value);
    ObjectNode event = Events.http(method, method + " " + route, path, "");
    event.putObject("pathParameters").put(parameter, value);
    ObjectNode headers = (ObjectNode) event.get("headers");
    headers.put("content-type", "application/json");
    if (authorised) {
      headers.put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    }
    return event;
  }
}
