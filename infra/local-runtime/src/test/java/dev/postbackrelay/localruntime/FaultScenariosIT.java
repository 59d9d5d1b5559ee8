package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of the fault harness through the real stack ({@code LOCAL_FAULTS=1}): stores refusing,
 * hanging and throttling under the HTTP functions, functions killed between their writes, partners
 * failing. One stack for the class; each test uses campaigns and clicks of its own and clears the
 * rules after itself. Deliveries retry after 1 s (three attempts), failed messages return after 2 s.
 */
class FaultScenariosIT {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** The HTTP functions' Timeout in the template: an answer before it is the code's own, not a time-out. */
  private static final long HTTP_FUNCTION_TIMEOUT_MS = 10_000;
  /** The delivery function's read deadline after connecting (RELAY_OUTBOUND_READ_TIMEOUT's default, 5 s). */
  private static final long READ_DEADLINE_MS = 5_000;
  private static final Pattern FAULTS_LINE = Pattern.compile("Faults\\s+(http://\\S+/faults)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static RunningStack stack;
  private static ScriptedPartner partner;
  private static String faults;

  @BeforeAll
  static void startStack() throws Exception {
    partner = ScriptedPartner.start();
    stack = RunningStack.start("faults-admin-token", Map.of("LOCAL_FAULTS", "1",
        "LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2", "RELAY_DELIVERY_RETRY_SCHEDULE", "1s,1s",
        "RELAY_DELIVERY_CLAIM", "8s"), READY_TIMEOUT);
    Matcher m = FAULTS_LINE.matcher(stack.output());
    assertTrue(m.find(), "the stack prints its fault control endpoint:\n" + stack.output());
    faults = m.group(1);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
    if (partner != null) {
      partner.close();
    }
  }

  @AfterEach
  void clearFaults() throws Exception {
    HTTP.send(HttpRequest.newBuilder(URI.create(faults)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    partner.answer(ScriptedPartner.Answer.OK);
  }

  /**
   * Expected: while DynamoDB and SQS hang under the postback function, a postback is answered 503
   * with a reason ({@code store_unavailable} or {@code queue_unavailable}) well before the function's
   * time-out, never 200; once they recover, the same postback sent again gets 200 and is attributed
   * and delivered once.
   */
  @Test
  void storesHangingDuringPostback_answer503WithAReason_thenTheRetryIsDeliveredOnce() throws Exception {
    String campaign = "hang";
    StackTraffic.putCampaign(stack, campaign, partner.url("/hang"), null);
    String click = StackTraffic.click(stack, campaign);
    fault("{\"fault\":\"hang\",\"function\":\"PostbackFunction\",\"seconds\":20}");
    long started = System.nanoTime();
    HttpResponse<String> refused = stack.send("GET", StackTraffic.postback(click, "H1"), null, null);
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    System.out.println("[faults] hanging stores: /postback answered " + refused.statusCode() + " in " + tookMs + " ms");
    assertEquals(503, refused.statusCode(), refused.body());
    assertTrue(Set.of("store_unavailable", "queue_unavailable").contains(error(refused)), refused.body());
    assertTrue(tookMs < HTTP_FUNCTION_TIMEOUT_MS, "answered by the code's own bound, not a time-out: " + tookMs);
    clearFaults();
    HttpResponse<String> accepted = stack.send("GET", StackTraffic.postback(click, "H1"), null, null);
    assertEquals(200, accepted.statusCode(), accepted.body());
    awaitIdle(() -> partner.deliveriesByClick().containsKey(click));
    assertEquals(1L, partner.deliveriesByClick().get(click), "delivered once");
    assertEquals(1, StackTraffic.conversions(stack, campaign).size(), "attributed once");
  }

  /** Expected: while DynamoDB refuses connections, {@code GET /click} is answered 503 {@code store_unavailable}, then 302 again. */
  @Test
  void storeRefusingDuringClick_answers503_thenRecovers() throws Exception {
    String campaign = "refuse";
    StackTraffic.putCampaign(stack, campaign, partner.url("/refuse"), null);
    StackTraffic.click(stack, campaign); // the campaign is read and cached
    fault("{\"fault\":\"refuse\",\"function\":\"ClickFunction\",\"service\":\"dynamodb\",\"seconds\":30}");
    HttpResponse<String> refused = stack.send("GET", "/click?campaign_id=" + campaign + "&affiliate_id=a1", null, null);
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("store_unavailable", error(refused), refused.body());
    clearFaults();
    StackTraffic.click(stack, campaign);
  }

  /**
   * Expected: a throttling answer (ThrottlingException; then, for another click,
   * ProvisionedThroughputExceededException) is absorbed by the SDK's retries: the click is a 302;
   * throttling that lasts gives a 503 {@code store_unavailable}, not a 500 or a time-out.
   */
  @Test
  void shortThrottlingIsAbsorbed_longThrottlingIs503() throws Exception {
    String campaign = "throttle";
    StackTraffic.putCampaign(stack, campaign, partner.url("/throttle"), null);
    StackTraffic.click(stack, campaign);
    // one throttling answer per click, each absorbed by one retry (two in a row can outlast the 2.5 s
    // call time-out on a loaded machine: the SDK backs off longer after a throttle)
    fault("{\"fault\":\"throttle\",\"function\":\"ClickFunction\",\"operation\":\"PutItem\",\"count\":1}");
    StackTraffic.click(stack, campaign);
    assertEquals(1, fired(), "the ThrottlingException was given and absorbed");
    clearFaults();
    fault("{\"fault\":\"throughput_exceeded\",\"function\":\"ClickFunction\",\"operation\":\"PutItem\",\"count\":1}");
    StackTraffic.click(stack, campaign);
    assertEquals(1, fired(), "the ProvisionedThroughputExceededException was given and absorbed");
    clearFaults();
    fault("{\"fault\":\"throttle\",\"function\":\"ClickFunction\",\"service\":\"dynamodb\",\"seconds\":30}");
    long started = System.nanoTime();
    HttpResponse<String> refused = stack.send("GET", "/click?campaign_id=" + campaign + "&affiliate_id=a1", null, null);
    System.out.println("[faults] long throttling: /click answered " + refused.statusCode() + " in "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
    assertEquals(503, refused.statusCode(), refused.body());
    assertEquals("store_unavailable", error(refused), refused.body());
  }

  /** Expected: one SQS 500 on the postback's SendMessage is retried by the SDK: the postback is a 200, delivered once. */
  @Test
  void oneSqsServerError_isAbsorbed() throws Exception {
    String campaign = "sqs5xx";
    StackTraffic.putCampaign(stack, campaign, partner.url("/sqs5xx"), null);
    String click = StackTraffic.click(stack, campaign);
    fault("{\"fault\":\"server_error\",\"function\":\"PostbackFunction\",\"service\":\"sqs\",\"count\":1}");
    HttpResponse<String> accepted = stack.send("GET", StackTraffic.postback(click, "S1"), null, null);
    assertEquals(200, accepted.statusCode(), accepted.body());
    assertEquals(1, fired());
    awaitIdle(() -> partner.deliveriesByClick().containsKey(click));
    assertEquals(1L, partner.deliveriesByClick().get(click));
  }

  /**
   * Expected: the consumer killed after the conversion's conditional write and before its
   * deliveries are queued (at its SendMessageBatch): the batch comes back, the conversion is
   * counted once and its delivery sent once.
   */
  @Test
  void consumerKilledBetweenWrites_countsOnce_deliversOnce() throws Exception {
    String campaign = "killconsumer";
    StackTraffic.putCampaign(stack, campaign, partner.url("/killconsumer"), null);
    String click = StackTraffic.click(stack, campaign);
    fault("{\"fault\":\"kill\",\"function\":\"ConversionConsumerFunction\",\"service\":\"sqs\","
        + "\"operation\":\"SendMessageBatch\",\"count\":1}");
    assertEquals(200, stack.send("GET", StackTraffic.postback(click, "K1"), null, null).statusCode());
    awaitIdle(() -> partner.deliveriesByClick().containsKey(click));
    assertEquals(1, fired(), "the consumer was killed once");
    assertEquals(1L, partner.deliveriesByClick().get(click), "delivered once");
    assertEquals(1, StackTraffic.conversions(stack, campaign).size(), "counted once");
  }

  /**
   * Expected: a partner answering 503 is tried three times (1 s apart), then the delivery is dead;
   * a healthy partner's delivery, sent meanwhile, arrives at once; after a replay the failing
   * partner, now healthy, receives the delivery exactly once.
   */
  @Test
  void failingPartner_isRetried_deadLettered_replayedOnce_andNeverDelaysAnother() throws Exception {
    try (ScriptedPartner failing = ScriptedPartner.start().answer(ScriptedPartner.Answer.FAIL)) {
      StackTraffic.putCampaign(stack, "failing", failing.url("/failing"), null);
      StackTraffic.putCampaign(stack, "healthy", partner.url("/healthy"), null);
      String bad = StackTraffic.click(stack, "failing");
      String good = StackTraffic.click(stack, "healthy");
      assertEquals(200, stack.send("GET", StackTraffic.postback(bad, "F1"), null, null).statusCode());
      assertEquals(200, stack.send("GET", StackTraffic.postback(good, "F2"), null, null).statusCode());
      awaitIdle(() -> partner.deliveriesByClick().containsKey(good) && failing.attemptsByClick().getOrDefault(bad, 0L) >= 3);
      assertTrue(failing.deliveriesByClick().isEmpty());
      assertEquals(3L, failing.attemptsByClick().get(bad), "three attempts on the schedule, then dead");
      failing.answer(ScriptedPartner.Answer.OK);
      HttpResponse<String> replay = stack.send("POST", "/admin/deliveries/replay?max=1000", null, null);
      assertEquals(200, replay.statusCode(), replay.body());
      awaitIdle(() -> failing.deliveriesByClick().containsKey(bad));
      HttpResponse<String> again = stack.send("POST", "/admin/deliveries/replay?max=1000", null, null);
      assertEquals(0, JSON.readTree(again.body()).path("replayed").asInt(), again.body());
      stack.awaitIdle(WAIT);
      assertEquals(1L, failing.deliveriesByClick().get(bad), "replayed once");
      assertEquals(1L, partner.deliveriesByClick().get(good));
    }
  }

  /**
   * The rule for a delivery function killed after the partner answered and before the outcome was
   * recorded: nothing can tell whether the partner acted, so the delivery is sent again once its
   * claim has expired (RELAY_DELIVERY_CLAIM, 8 s in this stack), with the same Idempotency-Key (a
   * partner that honours it drops the repeat), and the sent-postbacks log marks that attempt
   * {@code possible_repeat}. Expected: the partner received the delivery twice under one key, the
   * second attempt is logged delivered and a possible repeat, the conversion is counted once, and
   * nothing reaches the dead-letter queue.
   */
  @Test
  void deliveryKilledAfterThePartnerAnswered_isSentAgainWithTheSameKey_andMarkedAPossibleRepeat() throws Exception {
    String campaign = "killafteranswer";
    try (ScriptedPartner answering = ScriptedPartner.start()) {
      java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(true);
      // the first request arms a kill at the function's next write to the tracking table: its outcome
      answering.beforeAnswering(() -> {
        if (armed.getAndSet(false)) {
          try {
            fault("{\"fault\":\"kill\",\"function\":\"DeliveryFunction\",\"service\":\"dynamodb\","
                + "\"operation\":\"UpdateItem\",\"count\":1}");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
      StackTraffic.putCampaign(stack, campaign, answering.url("/killafteranswer"), null);
      String click = StackTraffic.click(stack, campaign);
      assertEquals(200, stack.send("GET", StackTraffic.postback(click, "KA1"), null, null).statusCode());
      long end = System.nanoTime() + WAIT.toNanos();
      while (answering.deliveriesByClick().getOrDefault(click, 0L) < 2 && System.nanoTime() < end) {
        Thread.sleep(200);
      }
      stack.awaitIdle(WAIT);
      assertEquals(1, fired(), "the delivery function was killed once, after the partner answered");
      List<ScriptedPartner.Received> got = answering.received();
      System.out.println("[faults] killed after the answer: the partner got " + got.size() + " requests, keys "
          + got.stream().map(ScriptedPartner.Received::idempotencyKey).distinct().count() + ", "
          + (got.size() > 1 ? got.get(1).atMillis() - got.get(0).atMillis() : -1) + " ms apart");
      assertEquals(2, got.size(), "sent again once the claim expired: " + got);
      assertEquals(got.get(0).idempotencyKey(), got.get(1).idempotencyKey(), "with the same Idempotency-Key");
      List<JsonNode> attempts = affiliateAttempts(campaign);
      assertEquals(1, attempts.size(), "the killed attempt left no record; the repeat did: " + attempts);
      assertEquals("delivered", attempts.get(0).path("outcome").asText(), attempts.get(0).toString());
      assertTrue(attempts.get(0).path("possible_repeat").asBoolean(), "marked a possible repeat: " + attempts.get(0));
      assertEquals(1, StackTraffic.conversions(stack, campaign).size(), "counted once");
      assertEquals(List.of(), peek("DeliveryDeadLetterQueue"), "nothing dead-lettered");
    }
  }

  /**
   * Expected, for each way a partner can fail — answering 503, resetting the connection, holding it
   * open without an answer (30 s, past the 5 s read deadline: a time-out), and failing TLS (an
   * {@code https} URL on a plain-HTTP server) — three attempts on the schedule, then the delivery is
   * dead with its reason; the healthy destination of the same conversion, in the same delivery
   * batch, is delivered while the held partner's request is still open (it never waits for it);
   * once the partner is fixed (for TLS: the campaign's URL corrected), one replay delivers each
   * exactly once and a second replay finds nothing.
   */
  @Test
  void partnersFailingEveryWay_areRetried_deadLettered_replayedOnce_andNeverDelayAnother() throws Exception {
    Map<String, ScriptedPartner> failing = new java.util.LinkedHashMap<>();
    try {
      failing.put("fail503", ScriptedPartner.start().answer(ScriptedPartner.Answer.FAIL));
      failing.put("reset", ScriptedPartner.start().answer(ScriptedPartner.Answer.RESET));
      failing.put("hold", ScriptedPartner.start().answer(ScriptedPartner.Answer.HOLD));
      failing.put("tls", ScriptedPartner.start());
      Map<String, String> clicks = new java.util.LinkedHashMap<>();
      for (var f : failing.entrySet()) {
        String url = f.getValue().url("/" + f.getKey());
        StackTraffic.putCampaign(stack, "p-" + f.getKey(), f.getKey().equals("tls") ? url.replace("http://", "https://")
            : url, "[{\"id\":\"healthy\",\"type\":\"postback\",\"url\":\"" + partner.url("/beside-" + f.getKey()) + "\"}]");
        clicks.put(f.getKey(), StackTraffic.click(stack, "p-" + f.getKey()));
      }
      for (var c : clicks.entrySet()) {
        assertEquals(200, stack.send("GET", StackTraffic.postback(c.getValue(), "P-" + c.getKey()), null, null)
            .statusCode());
      }
      awaitIdle(() -> clicks.keySet().stream().allMatch(kind -> lastOutcome("p-" + kind).equals("dead")));
      for (var c : clicks.entrySet()) {
        List<JsonNode> attempts = affiliateAttempts("p-" + c.getKey());
        System.out.println("[faults] partner " + c.getKey() + ": " + attempts.size() + " attempts, last "
            + attempts.get(0).path("outcome").asText() + ": " + attempts.get(0).path("reason").asText());
        assertEquals(3, attempts.size(), c.getKey() + ": three attempts on the schedule, then dead");
        assertTrue(!attempts.get(0).path("reason").asText().isBlank(), "a dead delivery says why: " + attempts.get(0));
        assertEquals(1L, partner.deliveriesByClick().get(c.getValue()), c.getKey() + ": the healthy destination, once");
        assertTrue(failing.get(c.getKey()).deliveriesByClick().isEmpty(), c.getKey());
      }
      assertEquals(0, failing.get("tls").received().size(), "no HTTP request got past the failed handshake");
      // the healthy delivery beside the held one arrived while the held request was still open
      long heldAt = failing.get("hold").received().get(0).atMillis();
      long besideAt = partner.received().stream().filter(r -> r.clickId().equals(clicks.get("hold")))
          .findFirst().orElseThrow().atMillis();
      System.out.println("[faults] healthy destination beside the held one: " + (besideAt - heldAt) + " ms after it");
      assertTrue(besideAt < heldAt + READ_DEADLINE_MS, "delayed by the held partner: " + (besideAt - heldAt) + " ms");

      failing.values().forEach(f -> f.answer(ScriptedPartner.Answer.OK));
      StackTraffic.putCampaign(stack, "p-tls", failing.get("tls").url("/tls"),
          "[{\"id\":\"healthy\",\"type\":\"postback\",\"url\":\"" + partner.url("/beside-tls") + "\"}]");
      HttpResponse<String> replay = stack.send("POST", "/admin/deliveries/replay?max=1000", null, null);
      assertEquals(200, replay.statusCode(), replay.body());
      assertEquals(4, JSON.readTree(replay.body()).path("replayed").asInt(), replay.body());
      awaitIdle(() -> clicks.entrySet().stream()
          .allMatch(c -> failing.get(c.getKey()).deliveriesByClick().containsKey(c.getValue())));
      HttpResponse<String> again = stack.send("POST", "/admin/deliveries/replay?max=1000", null, null);
      assertEquals(0, JSON.readTree(again.body()).path("replayed").asInt(), again.body());
      stack.awaitIdle(WAIT);
      for (var c : clicks.entrySet()) {
        assertEquals(Map.of(c.getValue(), 1L), failing.get(c.getKey()).deliveriesByClick(), c.getKey() + ": replayed once");
        assertEquals(1L, partner.deliveriesByClick().get(c.getValue()), c.getKey() + ": the healthy one not again");
      }
    } finally {
      failing.values().forEach(ScriptedPartner::close);
    }
  }

  /**
   * Expected: a message that is no postback, put on the conversion queue, and one that is no
   * delivery, put on the delivery queue, each land in their queue's dead-letter queue within
   * seconds (not after maxReceiveCount receives) with {@code dead_reason} {@code unreadable_message},
   * and the template's depth alarm on each dead-letter queue, quiet before, is then breached.
   */
  @Test
  void poisonMessages_landInTheirDeadLetterQueueWithAReason_andRaiseTheAlarm() throws Exception {
    var sqs = stack.sqs();
    Map<String, String> poisons = Map.of("ConversionQueue", "ConversionDeadLetterQueue",
        "DeliveryQueue", "DeliveryDeadLetterQueue");
    for (var p : poisons.entrySet()) {
      drain(p.getValue());
      List<QueueDepthAlarms.Alarm> alarms = QueueDepthAlarms.on(p.getValue());
      assertTrue(!alarms.isEmpty(), "the template has no depth alarm on " + p.getValue());
      alarms.forEach(a -> assertTrue(!a.inAlarm(sqs), a.id() + " before the poison"));
      String body = "poison for " + p.getKey() + " " + java.util.UUID.randomUUID();
      sqs.sendMessage(b -> b.queueUrl(stack.queueUrl(p.getKey())).messageBody(body));
      long end = System.nanoTime() + WAIT.toNanos();
      List<software.amazon.awssdk.services.sqs.model.Message> dead = List.of();
      while (dead.isEmpty() && System.nanoTime() < end) {
        dead = peek(p.getValue());
        Thread.sleep(200);
      }
      assertEquals(1, dead.size(), p.getValue() + " holds the poison");
      assertEquals(body, dead.get(0).body());
      String reason = dead.get(0).messageAttributes().get("dead_reason").stringValue();
      System.out.println("[faults] poison on " + p.getKey() + ": in " + p.getValue() + ", dead_reason " + reason
          + ", after " + dead.get(0).attributes().get(software.amazon.awssdk.services.sqs.model
              .MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT) + " receive(s) there");
      assertTrue(reason.startsWith("unreadable_message: not a "), reason);
      Thread.sleep(1_500); // the peek hid it for a second
      for (QueueDepthAlarms.Alarm a : alarms) {
        assertTrue(a.inAlarm(sqs), a.id() + " is raised by the poison in " + p.getValue());
        System.out.println("[faults] " + a.id() + ": ALARM");
      }
      drain(p.getValue());
    }
    stack.awaitIdle(WAIT);
  }

  /** Expected: without --db-path the stack says its data and queues live in memory only. */
  @Test
  void withoutDbPath_theStackSaysItsDataLivesInMemoryOnly() {
    assertTrue(stack.output().contains("Data         in memory only"), stack.output());
  }

  /** The outcome of the newest attempt to the affiliate of {@code campaign}, or "" before any. */
  private static String lastOutcome(String campaign) {
    try {
      List<JsonNode> attempts = affiliateAttempts(campaign);
      return attempts.isEmpty() ? "" : attempts.get(0).path("outcome").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The attempts to the affiliate of {@code campaign}, newest first (the sent-postbacks log). */
  private static List<JsonNode> affiliateAttempts(String campaign) throws Exception {
    HttpResponse<String> page = stack.send("GET", "/admin/deliveries?limit=100&campaign_id=" + campaign
        + "&destination=affiliate:a1", null, null);
    assertEquals(200, page.statusCode(), page.body());
    List<JsonNode> attempts = new java.util.ArrayList<>();
    JSON.readTree(page.body()).path("items").forEach(attempts::add);
    return attempts;
  }

  /** Receives (hidden for a second) what {@code queue} holds, with message and system attributes. */
  private static List<software.amazon.awssdk.services.sqs.model.Message> peek(String queue) {
    return stack.sqs().receiveMessage(b -> b.queueUrl(stack.queueUrl(queue)).maxNumberOfMessages(10)
        .visibilityTimeout(1).messageAttributeNames("All")
        .messageSystemAttributeNames(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.ALL))
        .messages();
  }

  /** Deletes everything {@code queue} holds now. */
  private static void drain(String queue) {
    String url = stack.queueUrl(queue);
    stack.sqs().purgeQueue(b -> b.queueUrl(url));
  }

  private static void fault(String json) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(faults))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
  }

  /** How many times the current rules fired, together. */
  private static long fired() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(faults)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    long total = 0;
    for (JsonNode rule : JSON.readTree(r.body()).path("rules")) {
      total += rule.path("fired").asLong();
    }
    return total;
  }

  private static String error(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body()).path("error").asText();
  }

  /** Waits for {@code condition}, then for the stack to have nothing left to process. */
  private static void awaitIdle(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertTrue(condition.getAsBoolean(), "not reached within " + WAIT + "; partner got " + partner.received());
    stack.awaitIdle(WAIT);
  }
}
