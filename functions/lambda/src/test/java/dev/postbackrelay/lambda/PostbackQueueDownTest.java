package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.ClickIds;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(Profiles.PostbackQueueDown.class)
class PostbackQueueDownTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickIds clickIds;

  @Test
  void queueUnavailable_is503NeverAcknowledged() {
    campaigns.put(Campaign.simple("c-down", "https://shop.example.com/", "token-123456",
        Map.of("a1", Affiliate.withPostbackUrl(null))));
    String clickId = clickIds.issue(Instant.now());

    JsonNode response = Events.invoke(Events.http("GET", "GET /postback", "/postback",
        "campaign_id=c-down&click_id=" + clickId + "&token=token-123456&event=sale"));

    assertEquals(503, response.path("statusCode").asInt());
    assertEquals("queue_unavailable", Events.body(response).path("error").asText());
  }
}
