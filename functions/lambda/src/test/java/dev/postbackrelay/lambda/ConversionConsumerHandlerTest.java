package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.PostbackLog;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.lambda.queue.DeliveryJson;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

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

  String campaignId;
  String clickId;

  @BeforeEach
  void campaignAndClick() {
    campaignId = "c-" + UUID.randomUUID();
    campaigns.put(Campaign.simple(campaignId, "https://shop.example.com/?cid={click_id}", "token-123456",
        Map.of("aff-42", Affiliate.withPostbackUrl("https://partner.example.com/pb?click={click_id}"))));
    Instant clickedAt = Instant.now().minusSeconds(3600);
    clickId = clickIds.issue(clickedAt);
    clicks.put(Click.builder().clickId(clickId).campaignId(campaignId).affiliateId("aff-42").createdAt(clickedAt)
        .subs(Map.of("sub1", "adset 7")).ip("203.0.113.10").userAgent("UA")
        .expiresAt(clickedAt.plusSeconds(40L * 86400)).build());
    Queues.drain("DeliveryQueue");
  }

  @Test
  void sameConversionThreeTimes_isCountedOnceAndQueuesOneDelivery() {
    for (int i = 0; i < 3; i++) {
      JsonNode response = Queues.invoke("ConversionQueue",
          List.of(PostbackJson.write(postback("pb-" + UUID.randomUUID(), "T1", null))));
      assertEquals(0, response.path("batchItemFailures").size(), response.toString());
    }

    assertEquals(1, conversions.findByClick(clickId).size());
    List<Delivery> queued = deliveries();
    assertEquals(1, queued.size(), "one delivery for the one conversion");
    assertEquals("affiliate:aff-42", queued.get(0).destinationId());
    assertEquals(ConversionStatus.APPROVED, queued.get(0).status());
  }

  @Test
  void redeliveredMessage_queuesTheSameDeliveryAgain_andCountsNothingNew() {
    ObjectNode event = sqsEvent(postback("pb-redelivered", "T2", null));
    Events.invoke(event);
    Events.invoke(event);

    assertEquals(1, conversions.findByClick(clickId).size());
    List<Delivery> queued = deliveries();
    assertEquals(2, queued.size());
    assertEquals(queued.get(0), queued.get(1), "the same delivery: the sender runs it once");
    assertEquals("attributed", log.find("pb-redelivered").orElseThrow().decision().outcome().name().toLowerCase());
  }

  @Test
  void approvalAfterPending_updatesTheStatusAndQueuesASecondDelivery() {
    Events.invoke(sqsEvent(postback("pb-lead-" + UUID.randomUUID(), "T3", ConversionStatus.PENDING)));
    Events.invoke(sqsEvent(postback("pb-approve-" + UUID.randomUUID(), "T3", ConversionStatus.APPROVED)));

    Conversion conversion = conversions.findByClick(clickId).get(0);
    assertEquals(ConversionStatus.APPROVED, conversion.status());
    assertEquals(2, conversion.history().size());
    List<Delivery> queued = deliveries();
    assertEquals(List.of(ConversionStatus.PENDING, ConversionStatus.APPROVED), queued.stream().map(Delivery::status).toList());
    assertNotEquals(queued.get(0).idempotencyKey(), queued.get(1).idempotencyKey());
  }

  @Test
  void unknownClick_isRecordedAsRejected_andQueuesNothing() {
    String unknown = clickIds.issue(Instant.now());
    Postback p = Postback.builder().postbackId("pb-unknown-" + UUID.randomUUID()).receivedAt(Instant.now())
        .sourceIp("198.51.100.20").clickId(unknown).campaignId(campaignId).event("sale").txid("T4").build();

    JsonNode response = Events.invoke(sqsEvent(p));

    assertEquals(0, response.path("batchItemFailures").size());
    assertEquals("unknown_click", log.find(p.postbackId()).orElseThrow().decision().reason().code());
    assertTrue(deliveries().isEmpty());
  }

  /**
   * Expected: a message from the queue that is no postback (not JSON; JSON of something else) goes
   * to the dead-letter queue at once, as received, with its reason and its id, and is not reported
   * (so it is deleted); the readable postback beside it is attributed as usual.
   */
  @Test
  void unreadableMessages_goToTheDeadLetterQueueAtOnceWithTheirReason() {
    Queues.drainMessages("ConversionDeadLetterQueue");
    String readable = PostbackJson.write(postback("pb-" + UUID.randomUUID(), "T-poison", null));

    JsonNode response = Queues.invoke("ConversionQueue", List.of("not json", "{\"kind\":\"something else\"}", readable));

    assertEquals(0, response.path("batchItemFailures").size(), response.toString());
    List<Message> dead = Queues.drainMessages("ConversionDeadLetterQueue");
    assertEquals(List.of("not json", "{\"kind\":\"something else\"}"),
        dead.stream().map(Message::body).sorted().toList());
    var reasons = dead.stream().map(m -> m.messageAttributes().get("dead_reason").stringValue()).sorted().toList();
    assertEquals(List.of("unreadable_message: not a postback (JsonParseException)",
        "unreadable_message: not a postback (NullPointerException)"), reasons);
    dead.forEach(m -> assertTrue(m.messageAttributes().get("source_message_id").stringValue().matches("[0-9a-f-]{36}"),
        m.messageAttributes().toString()));
    assertEquals(1, conversions.findByClick(clickId).size(), "the readable one was attributed");
  }

  /** Expected: a record that was never on the queue (the pre-traffic probe) is reported, and nothing is moved. */
  @Test
  void unreadableRecordFromElsewhere_isReportedAndNothingIsMoved() {
    Queues.drainMessages("ConversionDeadLetterQueue");
    ObjectNode event = Events.load("sqs-conversion.json");
    ((ObjectNode) event.get("Records").get(0)).put("body", "not json")
        .put("eventSourceARN", "arn:aws:sqs:us-east-1:123456789012:pretraffic-probe");

    JsonNode response = Events.invoke(event);

    assertEquals("059f36b4-87a3-44ab-83d2-661975830a7d",
        response.path("batchItemFailures").get(0).path("itemIdentifier").asText());
    assertEquals(List.of(), Queues.drainMessages("ConversionDeadLetterQueue"));
  }

  private Postback postback(String postbackId, String txid, ConversionStatus status) {
    return Postback.builder().postbackId(postbackId).receivedAt(Instant.now()).sourceIp("198.51.100.20")
        .clickId(clickId).campaignId(campaignId).event("sale").txid(txid).amount(new BigDecimal("49.90"))
        .payout(new BigDecimal("2.5")).currency("USD").status(status).statusWord(status == null ? null : status.code())
        .authenticatedBy(java.util.Set.of(Postback.Authentication.TOKEN)).build();
  }

  private static ObjectNode sqsEvent(Postback p) {
    ObjectNode event = Events.load("sqs-conversion.json");
    ObjectNode record = (ObjectNode) event.get("Records").get(0);
    record.put("messageId", UUID.nameUUIDFromBytes(p.postbackId().getBytes()).toString());
    record.put("body", PostbackJson.write(p));
    return event;
  }

  private static List<Delivery> deliveries() {
    return Queues.drain("DeliveryQueue").stream().map(DeliveryJson::read).toList();
  }
}
