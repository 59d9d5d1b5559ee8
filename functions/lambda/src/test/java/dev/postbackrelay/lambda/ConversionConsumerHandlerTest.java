package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStatus;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.postback.Postback;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(Profiles.Consumer.class)
public class ConversionConsumerHandlerTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickStore clicks;
  @Inject
  ClickIds clickIds;
  @Inject
  ConversionStore conversions;
  @Inject
  PostbackLog log;

  Partner partner;
  String campaignId;
  String clickId;

  @BeforeEach
  void campaignWithAPartnerAndAClick() throws Exception {
    partner = new Partner();
    campaignId = "c-" + UUID.randomUUID();
    campaigns.put(Campaign.simple(campaignId, "https://shop.example.com/?cid={click_id}", "token-123456",
        Map.of("aff-42", Affiliate.withPostbackUrl(
            partner.url("/pb?click={click_id}&event={event}&payout={payout}&sub1={sub1}&txid={txid}&status={status}")))));
    Instant clickedAt = Instant.now().minusSeconds(3600);
    clickId = clickIds.issue(clickedAt);
    clicks.put(new Click(clickId, campaignId, "aff-42", clickedAt, Map.of("sub1", "adset 7"), Map.of(), Map.of(),
        "203.0.113.10", "UA", null, null, clickedAt.plusSeconds(40L * 86400)));
  }

  @AfterEach
  void stopPartner() {
    partner.close();
  }

  @Test
  void sameConversionThreeTimes_isCountedAndForwardedOnce() {
    for (int i = 0; i < 3; i++) {
      JsonNode response = Events.invoke(sqsEvent(postback("pb-" + i, "T1", null)));
      assertEquals(0, response.path("batchItemFailures").size(), response.toString());
    }

    assertEquals(1, partner.received().size());
    String query = partner.received().get(0).uri().getRawQuery();
    assertTrue(query.contains("click=" + clickId), query);
    assertTrue(query.contains("event=sale") && query.contains("payout=2.5") && query.contains("txid=T1"), query);
    assertTrue(query.contains("sub1=adset%207"), query);
    assertEquals(1, conversions.findByClick(clickId).size());
    assertEquals("duplicate", log.find("pb-2").orElseThrow().decision().reason().code());
  }

  @Test
  void redeliveredMessage_afterPartnerFailure_isForwardedExactlyOnceWithTheSameKey() {
    partner.respondWith(500);
    ObjectNode event = sqsEvent(postback("pb-retry", "T2", null));
    JsonNode first = Events.invoke(event);
    assertEquals(1, first.path("batchItemFailures").size(), "a failed delivery leaves the message for a retry");

    partner.respondWith(200);
    JsonNode second = Events.invoke(event);
    JsonNode third = Events.invoke(event);

    assertEquals(0, second.path("batchItemFailures").size());
    assertEquals(0, third.path("batchItemFailures").size());
    List<Partner.Received> received = partner.received();
    assertEquals(2, received.size(), "one failed attempt, one success, nothing after");
    assertEquals(received.get(0).idempotencyKey(), received.get(1).idempotencyKey());
    Conversion conversion = conversions.findByClick(clickId).get(0);
    assertEquals(2, conversion.deliveries().size());
    assertEquals(500, conversion.deliveries().get(0).httpStatus());
    assertEquals(200, conversion.deliveries().get(1).httpStatus());
  }

  @Test
  void approvalAfterPending_updatesTheStatusAndForwardsAgain() {
    Events.invoke(sqsEvent(postback("pb-lead", "T3", ConversionStatus.PENDING)));
    Events.invoke(sqsEvent(postback("pb-approve", "T3", ConversionStatus.APPROVED)));

    Conversion conversion = conversions.findByClick(clickId).get(0);
    assertEquals(ConversionStatus.APPROVED, conversion.status());
    assertEquals(2, conversion.history().size());
    assertEquals(2, partner.received().size());
    assertTrue(partner.received().get(1).uri().getRawQuery().contains("status=approved"));
  }

  @Test
  void unknownClick_isRecordedAsRejected() {
    String unknown = clickIds.issue(Instant.now());
    Postback p = new Postback("pb-unknown", Instant.now(), "198.51.100.20", unknown, campaignId, null, "sale", "T4",
        null, null, null, null, null, null, null, false, Map.of());

    JsonNode response = Events.invoke(sqsEvent(p));

    assertEquals(0, response.path("batchItemFailures").size());
    assertEquals("unknown_click", log.find("pb-unknown").orElseThrow().decision().reason().code());
    assertTrue(partner.received().isEmpty());
  }

  @Test
  void unreadableMessage_isReportedAsABatchItemFailure() {
    ObjectNode event = Events.load("sqs-conversion.json");
    ((ObjectNode) event.get("Records").get(0)).put("body", "not json");

    JsonNode response = Events.invoke(event);

    assertEquals("059f36b4-87a3-44ab-83d2-661975830a7d",
        response.path("batchItemFailures").get(0).path("itemIdentifier").asText());
  }

  private Postback postback(String postbackId, String txid, ConversionStatus status) {
    return new Postback(postbackId, Instant.now(), "198.51.100.20", clickId, campaignId, null, "sale", txid,
        new BigDecimal("49.90"), new BigDecimal("2.5"), "USD", null, status, status == null ? null : status.code(),
        null, false, Map.of());
  }

  private static ObjectNode sqsEvent(Postback... postbacks) {
    ObjectNode event = Events.load("sqs-conversion.json");
    ArrayNode records = (ArrayNode) event.get("Records");
    ObjectNode template = (ObjectNode) records.get(0);
    records.removeAll();
    for (Postback p : postbacks) {
      ObjectNode record = template.deepCopy();
      record.put("messageId", UUID.nameUUIDFromBytes(p.postbackId().getBytes()).toString());
      record.put("body", PostbackJson.write(p));
      records.add(record);
    }
    return event;
  }
}
