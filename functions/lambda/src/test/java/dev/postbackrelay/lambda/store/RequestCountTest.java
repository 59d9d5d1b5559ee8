package dev.postbackrelay.lambda.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.RateTable;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickRequest;
import dev.postbackrelay.click.ClickService;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.forwarding.AccessTokens;
import dev.postbackrelay.forwarding.DeliveryOutcome;
import dev.postbackrelay.forwarding.DeliveryService;
import dev.postbackrelay.forwarding.RetrySchedule;
import dev.postbackrelay.forwarding.SecretResolver;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.lambda.Partner;
import dev.postbackrelay.lambda.forwarding.PinnedPostbackSender;
import dev.postbackrelay.lambda.queue.PostbackJson;
import dev.postbackrelay.lambda.queue.SqsConversionQueue;
import dev.postbackrelay.lambda.queue.SqsDeliveryQueue;
import dev.postbackrelay.logs.RefusalRecorder;
import dev.postbackrelay.logs.RefusedPostback;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.postback.InboundPostback;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.postback.PostbackIds;
import dev.postbackrelay.postback.PostbackService;
import dev.postbackrelay.postback.PostbackSignature;
import dev.postbackrelay.testing.MutableClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Counts the DynamoDB and SQS requests the real adapters make per click, per postback and per
 * attributed conversion and per delivery, against DynamoDB Local and ElasticMQ. The budget is part
 * of the design: per batch one BatchGetItem for the clicks, a conditional put per conversion, the
 * decisions' log writes and the deliveries shared by the batch; per affiliate delivery one read,
 * two writes and its sent-log entry; and per refused postback one transaction while under the cap.
 */
class RequestCountTest {

  static LocalAws aws;
  static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  static DynamoDbClient dynamo;
  static SqsClient sqs;
  static final String SIGNING_SECRET = "count-signing-secret-0123456789";

  @BeforeAll
  static void start() {
    aws = LocalAws.shared();
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    ExecutionInterceptor counter = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.computeIfAbsent(context.request().getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
      }
    };
    dynamo = DynamoDbClient.builder().endpointOverride(URI.create(aws.dynamoEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
    sqs = SqsClient.builder().endpointOverride(URI.create(aws.sqsEndpoint)).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build();
  }

  @Test
  void requestsPerClickPostbackConversionAndDelivery_stayWithinBudget() throws Exception {
    Clock clock = Clock.systemUTC();
    try (Partner partner = new Partner()) {
      var campaigns = new DynamoCampaignStore(dynamo, "CampaignsTable", Duration.ofSeconds(10), clock);
      var clicks = new DynamoClickStore(dynamo, "TrackingTable");
      var conversions = new DynamoConversionStore(dynamo, "TrackingTable");
      ClickIds ids = new ClickIds(List.of("0123456789abcdef0123456789abcdef".getBytes()));
      String queueUrl = aws.queueUrl("ConversionQueue");
      campaigns.put(Campaign.simple("count", "https://shop.example.com/?c={click_id}", "token-123456",
          Map.of("a1", Affiliate.withPostbackUrl(partner.url("/pb?c={click_id}")))));
      var clickService = new ClickService(campaigns, clicks, ids, clock);
      var postbackService = new PostbackService(campaigns, clicks, conversions, ids, new SqsConversionQueue(sqs, queueUrl),
          new DynamoSignatureReplayStore(dynamo, "TrackingTable"), new PostbackIds(), clock);
      var deliveryQueue = new SqsDeliveryQueue(sqs, aws.queueUrl("DeliveryQueue"), aws.queueUrl("DeliveryDeadLetterQueue"), clock);
      var attribution = new AttributionService(clicks, campaigns, conversions, new DynamoCustomerStore(dynamo, "TrackingTable", clock),
          new DynamoPostbackLog(dynamo, "TrackingTable"), deliveryQueue, RateTable.empty(), clock);
      var deliveryService = new DeliveryService(conversions, clicks, campaigns, DestinationTypes.BUILT_IN::get,
          new PinnedPostbackSender(Duration.ofSeconds(1), Duration.ofSeconds(2)), new OutboundGuard(true),
          RetrySchedule.DEFAULT, SecretResolver.literal(), AccessTokens.none(),
          new DynamoDeliveryLog(dynamo, "TrackingTable", clock), clock);

      snapshotAndReset();
      int n = 10;
      List<String> clickIds = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        clickIds.add(clickService.register(new ClickRequest(Params.of(Map.of("campaign_id", "count", "affiliate_id", "a1")),
            "203.0.113.1", "UA", null, null)).clickId());
      }
      Map<String, Integer> perClick = snapshotAndReset();

      for (String clickId : clickIds) {
        postbackService.accept(new InboundPostback(Params.of(Map.of("campaign_id", "count", "click_id", clickId,
            "txid", "T-" + clickId, "token", "token-123456")), "GET", "/postback", "198.51.100.1"));
      }
      Map<String, Integer> perPostback = snapshotAndReset();

      List<Postback> batch = new ArrayList<>();
      sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()
          .forEach(m -> batch.add(PostbackJson.read(m.body())));
      snapshotAndReset();
      var results = attribution.attributeAll(batch);
      Map<String, Integer> perBatch = snapshotAndReset();
      List<Delivery> queued = new ArrayList<>();
      results.values().forEach(r -> queued.addAll(r.queued()));
      for (Delivery d : queued) {
        assertEquals(new DeliveryOutcome.Delivered(), deliveryService.deliver(d));
      }
      Map<String, Integer> perDeliveries = snapshotAndReset();

      campaigns.put(dev.postbackrelay.testing.CampaignBuilder.campaign("count-signed").signingSecret(SIGNING_SECRET)
          .affiliate("a1", (String) null).build());
      campaigns.find("count-signed");
      List<InboundPostback> signed = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String clickId = clickService.register(new ClickRequest(Params.of(Map.of("campaign_id", "count", "affiliate_id", "a1")),
            "203.0.113.1", "UA", null, null)).clickId();
        Map<String, String> params = new java.util.LinkedHashMap<>(Map.of("campaign_id", "count-signed", "click_id", clickId,
            "txid", "S-" + clickId, "ts", Long.toString(clock.instant().getEpochSecond())));
        params.put("sig", PostbackSignature.sign(SIGNING_SECRET, PostbackSignature.stringToSign("GET", Params.of(params).pairs())));
        signed.add(new InboundPostback(Params.of(params), "GET", "/postback", "198.51.100.1"));
      }
      snapshotAndReset();
      signed.forEach(postbackService::accept);
      Map<String, Integer> perSignedPostback = snapshotAndReset();
      assertEquals(Reason.REPLAYED_SIGNATURE,
          org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class, () -> postbackService.accept(signed.get(0))).reason());
      Map<String, Integer> perReplay = snapshotAndReset();
      for (var m = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
          !m.isEmpty(); m = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
        m.forEach(msg -> sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(msg.receiptHandle())));
      }
      snapshotAndReset();

      assertEquals(n, batch.size());
      results.values().forEach(r -> assertEquals(Decision.Outcome.ATTRIBUTED, r.decision().outcome()));
      assertEquals(n, queued.size());
      assertEquals(n, partner.received().size());
      System.out.printf("requests for %d clicks: %s%nrequests for %d postbacks: %s%n"
          + "requests to attribute a batch of %d (queueing their deliveries): %s%n"
          + "requests to make those %d deliveries: %s%n", n, perClick, n, perPostback, n, perBatch, n, perDeliveries);

      assertEquals(Map.of("PutItem", n, "GetItem", 1), perClick, "one write per click, the campaign read once");
      assertEquals(Map.of("SendMessage", n), perPostback, "one SendMessage per postback, campaign cached");
      assertEquals(Map.of("PutItem", n, "SendMessage", n), perSignedPostback,
          "a signed postback adds exactly one conditional put, its replay record");
      assertEquals(Map.of("PutItem", 1), perReplay, "a replay costs its refused conditional put, nothing is queued");
      // a batch shares its requests: one BatchGetItem for its clicks, a conditional put per conversion,
      // its decisions' log items in as few BatchWriteItem calls as 25 items each allow (4 items per
      // postback here: 40 items, 2 calls), its deliveries in one SendMessageBatch per 10
      assertEquals(Map.of("BatchGetItem", 1, "PutItem", n, "BatchWriteItem", 2, "SendMessageBatch", 1), perBatch);
      // per delivery: read the conversion (an affiliate postback needs no click read: the conversion
      // remembers the click's ids and subs), claim it, record the attempt, and its sent-log entry
      assertEquals(Map.of("GetItem", n, "UpdateItem", 2 * n, "BatchWriteItem", n), perDeliveries);
    }
  }

  @Test
  void refusalsCostOneWriteUnderTheCap_andNonePastIt_butOneCounterPerScopeAndFlush() {
    var clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES));
    var log = new DynamoReceivedLog(dynamo, "TrackingTable", Duration.ofDays(14), clock);
    var recorder = new RefusalRecorder(log, 5, clock);
    PostbackIds ids = new PostbackIds();
    String campaign = "count-refused-" + System.nanoTime();
    RejectedException refusal = new RejectedException(Reason.BAD_TOKEN);

    snapshotAndReset();
    for (int i = 0; i < 5; i++) {
      recorder.record(RefusedPostback.of(ids.next(clock.instant()), clock.instant(), "GET", "198.51.100.99",
          Params.of(Map.of("campaign_id", campaign, "token", "wrong")), refusal));
    }
    Map<String, Integer> underCap = snapshotAndReset();
    for (int i = 0; i < 1000; i++) {
      recorder.record(RefusedPostback.of(ids.next(clock.instant()), clock.instant(), "GET", "198.51.100.99",
          Params.of(Map.of("campaign_id", campaign, "token", "wrong")), refusal));
    }
    Map<String, Integer> flood = snapshotAndReset();
    recorder.flush();
    Map<String, Integer> flush = snapshotAndReset();
    System.out.printf("requests for 5 refusals under the cap: %s; for 1000 past it: %s; flush: %s%n", underCap, flood, flush);

    assertEquals(Map.of("TransactWriteItems", 5), underCap, "one write per refusal under the cap");
    assertEquals(Map.of("TransactWriteItems", 1), flood, "past the cap: the one write that found the minute full");
    assertEquals(Map.of("UpdateItem", 2), flush, "one counter write per full scope (campaign, address)");
  }

  private static Map<String, Integer> snapshotAndReset() {
    Map<String, Integer> out = new TreeMap<>();
    calls.forEach((k, v) -> out.put(k.replaceFirst("Request$", ""), v.getAndSet(0)));
    out.values().removeIf(v -> v == 0);
    return out;
  }
}
