package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.postback.Postback;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The conversion consumer as deployed: no click-id key configured, so any path that built ClickIds
 * would fail. It attributes without one (the template grants it none), and answers the deploy
 * hook's probe by its message id, storing, queueing and logging nothing of it.
 */
@QuarkusTest
@TestProfile(Profiles.ConsumerWithoutClickIdKeys.class)
public class ConsumerWithoutClickIdKeysTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickStore clicks;
  @Inject
  ConversionStore conversions;

  @Test
  void attributesAPostback_withoutAnyClickIdKey() {
    String campaignId = "c-" + UUID.randomUUID();
    campaigns.put(Campaign.simple(campaignId, "https://shop.example.com/?cid={click_id}", "token-123456",
        Map.of("aff-1", Affiliate.withPostbackUrl("https://partner.example.com/pb?click={click_id}"))));
    String clickId = UUID.randomUUID().toString().replace("-", ""); // the consumer takes ids as checked upstream
    Instant clickedAt = Instant.now().minusSeconds(600);
    clicks.put(Click.builder().clickId(clickId).campaignId(campaignId).affiliateId("aff-1").createdAt(clickedAt)
        .ip("203.0.113.10").userAgent("UA").expiresAt(clickedAt.plusSeconds(40L * 86400)).build());
    Queues.drain("DeliveryQueue");
    Postback p = Postback.builder().postbackId("pb-" + UUID.randomUUID()).receivedAt(Instant.now())
        .sourceIp("198.51.100.20").clickId(clickId).campaignId(campaignId).event("sale").txid("T1")
        .amount(new BigDecimal("10")).payout(new BigDecimal("2.5")).currency("USD").build();
    ObjectNode event = Events.load("sqs-conversion.json");
    ((ObjectNode) event.get("Records").get(0)).put("body", PostbackJson.write(p));

    JsonNode response = Events.invoke(event);

    assertEquals(0, response.path("batchItemFailures").size(), response.toString());
    assertEquals(1, conversions.findByClick(clickId).size());
    assertEquals(1, Queues.drain("DeliveryQueue").size());
  }

  @Test
  void preTrafficProbe_isReportedByItsMessageId_andLeavesNothingBehind() {
    PreTrafficProbes.assertReportedByMessageId_andLeftNothing("pretraffic-d-TEST123-consumer",
        Map.of("DeliveryQueue", "the probe queued a delivery"));
  }
}
