package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.lambda.queue.DeliveryJson;
import dev.postbackrelay.lambda.queue.SqsDeliveryQueue;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The delivery function against DynamoDB Local, ElasticMQ and real local HTTP servers standing in
 * for destinations. The retry schedule is shortened to 1 s, 1 s (three attempts) and the read
 * time-out to 2 s by the test configuration; a test makes a retry due by moving the application's
 * {@link AdjustableClock} forward, not by waiting.
 */
@QuarkusTest
@TestProfile(Profiles.Delivery.class)
public class DeliveryHandlerTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickStore clicks;
  @Inject
  ClickIds clickIds;
  @Inject
  ConversionStore conversions;
  @Inject
  SqsDeliveryQueue deliveryQueue;
  @Inject
  AdjustableClock clock;

  /** The test configuration's retry delay after the first and the second attempt. */
  static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  final List<Partner> partners = new ArrayList<>();
  String clickId;

  @BeforeEach
  void drain() {
    Queues.drain("DeliveryQueue");
    Queues.drain("DeliveryDeadLetterQueue");
  }

  @AfterEach
  void stopPartnersAndResetTheClock() {
    partners.forEach(Partner::close);
    clock.reset();
  }

  @Test
  void failingTwiceThenSucceeding_isDeliveredOnce_withTheSameIdempotencyKeyEveryTime() throws Exception {
    Partner partner = partner();
    partner.script(500, 503);
    Delivery delivery = conversionFor(Map.of("aff", partner.url("/pb?c={click_id}&p={payout}")), List.of()).get(0);

    assertEquals(1, run(delivery).path("batchItemFailures").size(), "first failure: retry later");
    clock.advance(RETRY_DELAY);
    assertEquals(1, run(delivery).path("batchItemFailures").size(), "second failure: retry later");
    clock.advance(RETRY_DELAY);
    assertEquals(0, run(delivery).path("batchItemFailures").size(), "third attempt delivers");
    assertEquals(0, run(delivery).path("batchItemFailures").size(), "a later copy finds it delivered");

    List<Partner.Received> received = partner.received();
    assertEquals(3, received.size());
    assertEquals(1, received.stream().map(Partner.Received::idempotencyKey).distinct().count());
    assertEquals(delivery.idempotencyKey(), received.get(0).idempotencyKey());
    assertTrue(received.get(2).uri().getRawQuery().contains("c=" + clickId), received.get(2).uri().toString());
    List<DeliveryAttempt> log = conversion(delivery).deliveries();
    assertEquals(List.of(500, 503, 200), log.stream().map(DeliveryAttempt::httpStatus).toList());
  }

  @Test
  void aHangingDestination_doesNotHoldUpTheOthers() throws Exception {
    Partner slow = partner();
    slow.hangFor(Duration.ofSeconds(4));
    Partner fast = partner();
    List<Delivery> deliveries = conversionFor(Map.of("aff", fast.url("/fast?c={click_id}")),
        List.of(postback("slow", slow.url("/slow?c={click_id}"))));

    JsonNode response = run(deliveries.toArray(Delivery[]::new));

    assertEquals(1, fast.received().size(), "the healthy destination is delivered");
    assertEquals(1, response.path("batchItemFailures").size(), "only the hanging one is retried");
    DeliveryAttempt timedOut = conversion(deliveries.get(0)).deliveries().stream()
        .filter(a -> a.target().equals("slow")).findFirst().orElseThrow();
    assertEquals("timeout", timedOut.error());
    // the attempt's own measured latency, not this test's wall clock (which a loaded machine stretches)
    assertTrue(timedOut.latencyMillis() < 4_000,
        "cut at the 2 s read time-out, not after the 4 s hang: " + timedOut.latencyMillis() + " ms");
  }

  @Test
  void anAlwaysFailingDestination_endsInTheDeadLetterQueue_andAReplayDeliversItOnce() throws Exception {
    Partner partner = partner();
    partner.respondWith(500);
    Delivery delivery = conversionFor(Map.of("aff", partner.url("/pb?c={click_id}")), List.of()).get(0);

    run(delivery);
    clock.advance(RETRY_DELAY);
    run(delivery);
    clock.advance(RETRY_DELAY);
    JsonNode last = run(delivery);

    assertEquals(0, last.path("batchItemFailures").size(), "a dead delivery leaves the queue");
    assertEquals(3, partner.received().size());
    partner.respondWith(200);
    assertEquals(1, deliveryQueue.replay(10), "the dead delivery is moved back");
    // the queue is shared by this class's tests: another test's postponed delivery may be visible by now
    List<Delivery> replayed = Queues.drain("DeliveryQueue").stream().map(DeliveryJson::read)
        .filter(d -> d.idempotencyKey().equals(delivery.idempotencyKey())).toList();
    assertEquals(1, replayed.size());
    Delivery again = replayed.get(0);
    assertTrue(again.replayedAt() != null);

    assertEquals(0, run(again).path("batchItemFailures").size());
    assertEquals(0, run(again).path("batchItemFailures").size());
    assertEquals(4, partner.received().size(), "delivered exactly once after the replay");
    assertEquals(delivery.idempotencyKey(), partner.received().get(3).idempotencyKey());
  }

  @Test
  void aRedirectToAPrivateAddress_isNotFollowed_andRecordedWithItsTarget() throws Exception {
    Partner partner = partner();
    partner.redirectTo("http://169.254.169.254/latest/meta-data/");
    Delivery delivery = conversionFor(Map.of("aff", partner.url("/pb?c={click_id}")), List.of()).get(0);

    run(delivery);

    assertEquals(1, partner.received().size(), "the redirect is not followed");
    DeliveryAttempt attempt = conversion(delivery).deliveries().get(0);
    assertEquals(302, attempt.httpStatus());
    assertTrue(attempt.error().contains("redirect_not_followed") && attempt.error().contains("169.254.169.254"),
        attempt.error());
  }

  /**
   * Expected: a message on the delivery queue that is no delivery goes to the dead-letter queue at
   * once with its reason (not after 20 receives, without one), and a replay of the dead-letter
   * queue moves back the dead delivery beside it but leaves the unreadable message there.
   */
  @Test
  void anUnreadableMessage_isBuriedWithItsReason_andNeverReplayed() throws Exception {
    Delivery dead = conversionFor(Map.of("aff", "http://10.0.0.1/pb?c={click_id}"), List.of()).get(0);

    JsonNode response = Queues.invoke("DeliveryQueue", List.of("{\"click_id\": 7", DeliveryJson.write(dead)));

    assertEquals(0, response.path("batchItemFailures").size(), response.toString());
    List<Message> buried = Queues.drainMessages("DeliveryDeadLetterQueue");
    Message poison = buried.stream().filter(m -> m.body().startsWith("{\"click_id\": 7")).findFirst().orElseThrow();
    assertEquals("unreadable_message: not a delivery (JsonEOFException)",
        poison.messageAttributes().get("dead_reason").stringValue());
    assertEquals(2, buried.size(), "the poison and the dead delivery");
    // both back in the dead-letter queue as they were, then a replay
    try (var sqs = LocalAwsResource.aws().sqs()) {
      String url = LocalAwsResource.aws().queueUrl("DeliveryDeadLetterQueue");
      buried.forEach(m -> sqs.sendMessage(b -> b.queueUrl(url).messageBody(m.body())
          .messageAttributes(m.messageAttributes())));
    }
    assertEquals(1, deliveryQueue.replay(10), "only the delivery is replayed");
    assertEquals(List.of(dead.clickId()),
        Queues.drain("DeliveryQueue").stream().map(DeliveryJson::read).map(Delivery::clickId).toList());
  }

  @Test
  void aPrivateDestination_isRefused_recorded_andDead() throws Exception {
    Delivery delivery = conversionFor(Map.of("aff", "http://10.0.0.1/pb?c={click_id}"), List.of()).get(0);

    JsonNode response = run(delivery);

    assertEquals(0, response.path("batchItemFailures").size());
    DeliveryAttempt attempt = conversion(delivery).deliveries().get(0);
    assertTrue(attempt.error().startsWith("forbidden_destination"), attempt.error());
    assertEquals(1, Queues.drain("DeliveryDeadLetterQueue").size(), "dead, waiting for a fix and a replay");
  }

  @Test
  void adPlatforms_receiveTheirOwnPayloads() throws Exception {
    Partner platform = partner();
    List<Destination> destinations = List.of(
        platform("meta", Destination.Type.META_CAPI, platform.url("/meta"),
            Map.of("pixel_id", "123456", "access_token", "meta-token")),
        platform("google", Destination.Type.GOOGLE_ADS, platform.url("/google"),
            Map.of("customer_id", "1234567890", "conversion_action", "987", "developer_token", "dev-token",
                "access_token", "g-token")),
        platform("tiktok", Destination.Type.TIKTOK, platform.url("/tiktok"),
            Map.of("pixel_code", "CABC123", "access_token", "tt-token")));
    List<Delivery> deliveries = conversionFor(Map.of(), destinations);

    assertEquals(0, run(deliveries.toArray(Delivery[]::new)).path("batchItemFailures").size());

    Map<String, Partner.Received> byPath = new java.util.HashMap<>();
    platform.received().forEach(r -> byPath.put(r.uri().getPath(), r));
    JsonNode meta = Events.JSON.readTree(byPath.get("/meta/123456/events").body()).path("data").get(0);
    assertEquals("Purchase", meta.path("event_name").asText());
    assertTrue(meta.path("user_data").path("fbc").asText().startsWith("fb.1."));
    assertTrue(meta.path("user_data").path("fbc").asText().endsWith(".IwAR2xyz"));
    assertEquals("203.0.113.10", meta.path("user_data").path("client_ip_address").asText());
    assertEquals("Bearer meta-token", byPath.get("/meta/123456/events").headers().get("authorization"));
    JsonNode google = Events.JSON.readTree(byPath.get("/google/customers/1234567890:uploadClickConversions").body());
    assertEquals("gclid-abc", google.path("conversions").get(0).path("gclid").asText());
    assertEquals("customers/1234567890/conversionActions/987", google.path("conversions").get(0).path("conversionAction").asText());
    assertTrue(google.path("partialFailure").asBoolean());
    JsonNode tiktok = Events.JSON.readTree(byPath.get("/tiktok/event/track/").body());
    assertEquals("CABC123", tiktok.path("event_source_id").asText());
    assertEquals("tt-click", tiktok.path("data").get(0).path("user").path("ttclid").asText());
    assertEquals(meta.path("event_id").asText(), tiktok.path("data").get(0).path("event_id").asText(),
        "one event id per conversion, for the platforms' own dedupe");
  }

  @Test
  void googleAdsRefusingInsideA200_isRecordedAsAFailure_notAsDelivered() throws Exception {
    Partner google = partner();
    google.respondWithBody("{\"partialFailureError\":{\"code\":3,\"message\":\"The click is too old\"},"
        + "\"results\":[{}]}");
    List<Delivery> deliveries = conversionFor(Map.of(), List.of(platform("google", Destination.Type.GOOGLE_ADS,
        google.url("/google"), Map.of("customer_id", "1234567890", "conversion_action", "987",
            "developer_token", "dev-token", "access_token", "g-token"))));

    JsonNode response = run(deliveries.get(0));

    assertEquals(1, response.path("batchItemFailures").size(), "retried, not counted as delivered");
    DeliveryAttempt attempt = conversion(deliveries.get(0)).deliveries().get(0);
    assertEquals(200, attempt.httpStatus());
    assertTrue(attempt.error().startsWith("google_partial_failure") && attempt.error().contains("too old"),
        attempt.error());
  }

  @Test
  void googleAds_withARefreshToken_getsAnAccessTokenOnce_andUsesIt() throws Exception {
    Partner google = partner();
    google.respondWithBody("{\"access_token\":\"fresh-token\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    Map<String, String> settings = Map.of("customer_id", "1234567890", "conversion_action", "987",
        "developer_token", "dev-token", "client_id", "client-1", "client_secret", "shh", "refresh_token", "1//refresh",
        "token_url", google.url("/token"));
    List<Delivery> first = conversionFor(Map.of(), List.of(platform("google", Destination.Type.GOOGLE_ADS,
        google.url("/google"), settings)));
    assertEquals(0, run(first.get(0)).path("batchItemFailures").size());
    List<Delivery> second = conversionFor(Map.of(), List.of(platform("google", Destination.Type.GOOGLE_ADS,
        google.url("/google"), settings)));
    assertEquals(0, run(second.get(0)).path("batchItemFailures").size());

    List<Partner.Received> tokenCalls = google.received().stream()
        .filter(r -> r.uri().getPath().equals("/token")).toList();
    assertEquals(1, tokenCalls.size(), "the token is cached until shortly before it expires");
    assertTrue(tokenCalls.get(0).body().contains("grant_type=refresh_token")
        && tokenCalls.get(0).body().contains("refresh_token=1%2F%2Frefresh"), tokenCalls.get(0).body());
    List<Partner.Received> uploads = google.received().stream()
        .filter(r -> r.uri().getPath().endsWith(":uploadClickConversions")).toList();
    assertEquals(2, uploads.size());
    uploads.forEach(u -> assertEquals("Bearer fresh-token", u.headers().get("authorization")));
  }

  private Partner partner() throws Exception {
    Partner p = new Partner();
    partners.add(p);
    return p;
  }

  private static Destination postback(String id, String url) {
    return new Destination(id, Destination.Type.POSTBACK, null, url, "GET", null, true, null, null, null, null, null);
  }

  private static Destination platform(String id, Destination.Type type, String url, Map<String, String> settings) {
    return new Destination(id, type, null, url, "POST", null, true, null, null, null, null, settings);
  }

  /** A campaign with these affiliate postback URLs and destinations, a click, an approved conversion. */
  private List<Delivery> conversionFor(Map<String, String> affiliateUrls, List<Destination> destinations) {
    String campaignId = "c-" + UUID.randomUUID();
    Map<String, Affiliate> affiliates = new java.util.HashMap<>();
    affiliateUrls.forEach((id, url) -> affiliates.put(id, Affiliate.withPostbackUrl(url)));
    affiliates.putIfAbsent("aff", Affiliate.withPostbackUrl(null));
    campaigns.put(Campaign.builder().id(campaignId).landingUrl("https://shop.example.com/").postbackToken("token-123456")
        .active(true).affiliates(affiliates).destinations(destinations).build());
    Instant clickedAt = Instant.now().minusSeconds(600);
    clickId = clickIds.issue(clickedAt);
    clicks.put(Click.builder().clickId(clickId).campaignId(campaignId).affiliateId("aff").createdAt(clickedAt)
        .subs(Map.of("sub1", "s1")).platformIds(Map.of("fbclid", "IwAR2xyz", "gclid", "gclid-abc", "ttclid", "tt-click"))
        .ip("203.0.113.10").userAgent("Mozilla/5.0").expiresAt(clickedAt.plusSeconds(86400)).build());
    Instant at = Instant.now().minusSeconds(60);
    conversions.createIfAbsent("sale#T1", Conversion.builder().clickId(clickId).event("sale").txid("T1")
        .campaignId(campaignId).affiliateId("aff").status(ConversionStatus.APPROVED).amount(new BigDecimal("49.90"))
        .currency("USD").payout(new BigDecimal("2.5")).payoutCurrency("USD").createdAt(at).postbackId("pb-1")
        .history(List.of(new StatusChange(null, ConversionStatus.APPROVED, at, "pb-1"))).build());
    return campaigns.find(campaignId).orElseThrow().allDestinations().stream()
        .map(d -> new Delivery(clickId, "sale#T1", d.id(), ConversionStatus.APPROVED, null)).toList();
  }

  private Conversion conversion(Delivery d) {
    return conversions.find(d.clickId(), d.conversionKey()).orElseThrow();
  }

  /**
   * Puts the deliveries on the real delivery queue, receives them, and invokes the function. The
   * received copies are deleted afterwards, a retried one too (see {@link Queues#invoke}), so that
   * each run is exactly one receive of each delivery.
   */
  private static JsonNode run(Delivery... deliveries) {
    return Queues.invoke("DeliveryQueue", java.util.Arrays.stream(deliveries).map(DeliveryJson::write).toList());
  }
}
