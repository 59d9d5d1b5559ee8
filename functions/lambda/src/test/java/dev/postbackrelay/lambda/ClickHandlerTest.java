package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(Profiles.Click.class)
public class ClickHandlerTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickStore clicks;
  @Inject
  ClickIds clickIds;

  @BeforeEach
  void campaign() {
    campaigns.put(Campaign.simple("summer-sale", "https://shop.example.com/landing?cid={click_id}&s1={sub1}&s2={sub2}",
        "token-123456", Map.of("aff-42", Affiliate.withPostbackUrl(null))));
  }

  @Test
  void click_isStoredAndRedirectsToTheLandingPageWithTheClickId() {
    JsonNode response = Events.invoke(Events.load("click.json"));

    assertEquals(302, response.path("statusCode").asInt());
    URI location = URI.create(response.path("headers").path("location").asText());
    assertEquals("shop.example.com", location.getHost());
    String clickId = location.getQuery().replaceAll(".*cid=([^&]+).*", "$1");
    assertTrue(clickIds.verify(clickId), "the redirect carries a click id we issued");
    assertTrue(location.getRawQuery().contains("s2=creative%20b"), location.getRawQuery());

    Click click = clicks.find(clickId).orElseThrow();
    assertEquals("summer-sale", click.campaignId());
    assertEquals("aff-42", click.affiliateId());
    assertEquals("fb-adset-7", click.subs().get("sub1"));
    assertEquals("IwAR2xyz", click.platformIds().get("fbclid"));
    assertEquals("facebook", click.extra().get("utm_source"));
    assertEquals("203.0.113.10", click.ip());
    assertTrue(click.userAgent().startsWith("Mozilla/5.0"));
    assertTrue(click.expiresAt().isAfter(click.createdAt().plusSeconds(29L * 86400)), "TTL outlives the window");
  }

  @Test
  void unknownCampaign_is404AndNothingIsStored() {
    ObjectNode event = Events.load("click.json");
    event.put("rawQueryString", "campaign_id=nope&affiliate_id=aff-42");
    long before = trackedItems();

    JsonNode response = Events.invoke(event);

    assertEquals(404, response.path("statusCode").asInt());
    assertEquals("unknown_campaign", Events.body(response).path("error").asText());
    assertFalse(Events.body(response).path("message").asText().isBlank());
    assertEquals(before, trackedItems());
  }

  @Test
  void redirectTarget_isNeverTakenFromTheRequest() {
    ObjectNode event = Events.load("click.json");
    event.put("rawQueryString", "campaign_id=summer-sale&affiliate_id=aff-42&url=https%3A%2F%2Fevil.example&landing_url=https%3A%2F%2Fevil.example&redirect=https%3A%2F%2Fevil.example");

    JsonNode response = Events.invoke(event);

    assertEquals(302, response.path("statusCode").asInt());
    assertEquals("shop.example.com", URI.create(response.path("headers").path("location").asText()).getHost());
  }

  @Test
  void jsonMode_returnsTheClickIdInsteadOfRedirecting() {
    ObjectNode event = Events.load("click.json");
    event.put("rawQueryString", "campaign_id=summer-sale&affiliate_id=aff-42&format=json");

    JsonNode response = Events.invoke(event);

    assertEquals(200, response.path("statusCode").asInt());
    JsonNode body = Events.body(response);
    assertTrue(clickIds.verify(body.path("click_id").asText()));
    assertTrue(body.path("redirect_url").asText().startsWith("https://shop.example.com/landing?cid="));
  }

  @Test
  void missingAffiliate_is400WithAReason() {
    ObjectNode event = Events.load("click.json");
    event.put("rawQueryString", "campaign_id=summer-sale");

    JsonNode response = Events.invoke(event);

    assertEquals(400, response.path("statusCode").asInt());
    assertEquals("missing_affiliate_id", Events.body(response).path("error").asText());
  }

  @Test
  void controlCharacterOrBlankName_is400InvalidParameterAndNothingIsStored() {
    for (String bad : new String[] {"%01=x", "%20%09=x", "a%00b=x", "%7F=x"}) {
      ObjectNode event = Events.load("click.json");
      event.put("rawQueryString", "campaign_id=summer-sale&affiliate_id=aff-42&" + bad);
      long before = trackedItems();

      JsonNode response = Events.invoke(event);

      assertEquals(400, response.path("statusCode").asInt(), bad + " -> " + response);
      assertEquals("invalid_parameter", Events.body(response).path("error").asText());
      assertEquals(before, trackedItems());
    }
  }

  @Test
  void kelvinSign_isNotFoldedIntoAnAsciiName() {
    ObjectNode event = Events.load("click.json");
    event.put("rawQueryString", "campaign_id=summer-sale&affiliate_id=aff-42&format=json&%E2%84%AAey=v&SUB1=s");

    JsonNode response = Events.invoke(event);

    assertEquals(200, response.path("statusCode").asInt(), response.toString());
    Click click = clicks.find(Events.body(response).path("click_id").asText()).orElseThrow();
    assertEquals("v", click.extra().get("\u212Aey"), click.extra().toString());
    assertFalse(click.extra().containsKey("key"));
    assertEquals("s", click.subs().get("sub1"), "ASCII letters still fold");
  }

  private static long trackedItems() {
    try (var dynamo = LocalAwsResource.aws().dynamo()) {
      return dynamo.scan(b -> b.tableName("TrackingTable").select("COUNT")).count();
    }
  }
}
