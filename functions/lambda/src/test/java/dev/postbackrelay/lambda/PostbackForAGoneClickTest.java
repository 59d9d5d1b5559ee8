package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.common.ConversionStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A status update for a click that is gone (purged) but converted, without {@code campaign_id}:
 * the postback function finds the campaign through the click's conversions, a DynamoDB Query on
 * the tracking table, which template.yaml must therefore grant it (LeastPrivilegeTest).
 */
@QuarkusTest
@TestProfile(Profiles.Postback.class)
public class PostbackForAGoneClickTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ConversionStore conversions;
  @Inject
  ClickIds clickIds;

  @Test
  void statusUpdateWithoutCampaignId_findsTheCampaignThroughTheClicksConversions() {
    String campaignId = "c-" + UUID.randomUUID();
    campaigns.put(Campaign.simple(campaignId, "https://shop.example.com/?cid={click_id}", "token-123456",
        Map.of("aff-1", Affiliate.withPostbackUrl(null))));
    Instant at = Instant.now().minusSeconds(86400);
    String clickId = clickIds.issue(at); // issued, converted, and no click item any more
    conversions.createIfAbsent("sale", Conversion.builder().clickId(clickId).event("sale").txid("T1")
        .campaignId(campaignId).affiliateId("aff-1").status(ConversionStatus.PENDING).amount(new BigDecimal("10"))
        .currency("USD").payout(new BigDecimal("2.5")).payoutCurrency("USD").createdAt(at).postbackId("pb-gone-1")
        .history(List.of(new StatusChange(null, ConversionStatus.PENDING, at, "pb-gone-1"))).build());

    JsonNode response = Events.invoke(Events.http("GET", "GET /postback", "/postback",
        "click_id=" + clickId + "&event=sale&txid=T1&status=approved&token=token-123456"));

    assertEquals(200, response.path("statusCode").asInt(), response.toString());
    assertEquals("accepted", Events.body(response).path("status").asText());
    assertEquals(1, Queues.drain("ConversionQueue").size());
  }
}
