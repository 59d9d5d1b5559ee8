package dev.postbackrelay.forwarding;

import static dev.postbackrelay.common.ConversionStatus.APPROVED;
import static dev.postbackrelay.common.ConversionStatus.PENDING;
import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static dev.postbackrelay.testing.ScriptedPostbackSender.hang;
import static dev.postbackrelay.testing.ScriptedPostbackSender.ok;
import static dev.postbackrelay.testing.ScriptedPostbackSender.redirect;
import static dev.postbackrelay.testing.ScriptedPostbackSender.status;
import static dev.postbackrelay.testing.ScriptedPostbackSender.timeout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.AttributionService;
import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.forwarding.builders.DestinationTypes;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.testing.CoreFixture;
import dev.postbackrelay.testing.ScriptedPostbackSender.Call;
import dev.postbackrelay.testing.ScriptedPostbackSender;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One delivery, run as the delivery consumer runs it: at most one successful call per
 * (conversion, destination, status), retried on the schedule ({@link CoreFixture#RETRIES}: 1 min,
 * 5 min, 30 min, so four attempts in all) with the same {@code Idempotency-Key}, never to a
 * forbidden address, and every attempt in the conversion's delivery log.
 *
 * <p>Conversions are made the way production makes them, through attribution; each test then
 * runs the queued delivery by hand, moving the clock as the queue's delays would.
 */
class DeliveryServiceTest {

  private static final String PARTNER_URL =
      "https://partner.example/pb?cid={click_id}&e={event}&s={status}&p={payout}&s1={sub1}&aff={affiliate_id}";
  private static final String META_HOST = "meta.example";

  private final CoreFixture core = new CoreFixture()
      .with(campaign("c1").fixedPayout("sale", "7.50").affiliate("a1", PARTNER_URL).build())
      .with(campaign("meta").affiliate("a1", (String) null)
          .destination(new Destination("meta", Destination.Type.META_CAPI, null, "https://" + META_HOST + "/v25.0",
              null, null, true, null, null, null, null, Map.of("pixel_id", "1234567890", "access_token", "EAAB-test")))
          .build())
      .with(campaign("two").affiliate("a1", PARTNER_URL)
          .destination(new Destination("slow", Destination.Type.POSTBACK, null, "https://slow.example/pb?c={click_id}",
              null, null, true, null, null, null, null, null))
          .build());

  DeliveryServiceTest() {
    core.dns.put(META_HOST, List.of("203.0.113.20"));
    core.dns.put("slow.example", List.of("203.0.113.30"));
    core.dns.put("internal.example", List.of("10.0.0.1"));
    core.dns.put("rebind.example", List.of(CoreFixture.PARTNER_ADDRESS, "10.1.2.3"));
  }

  /** Clicks (with {@code sub1}), converts a minute later, and returns the deliveries attribution queued. */
  private List<Delivery> convert(String campaignId, String... params) {
    String click = core.click(campaignId, "a1", "sub1", "s 1");
    core.clock.advance(Duration.ofMinutes(1));
    String[] all = new String[params.length + 2];
    all[0] = "click_id";
    all[1] = click;
    System.arraycopy(params, 0, all, 2, params.length);
    AttributionService.Result r = core.attribute(core.postback(all));
    core.deliveryQueue.drain(); // these tests run the deliveries by hand
    return r.queued();
  }

  private Delivery convertOne(String campaignId, String... params) {
    List<Delivery> queued = convert(campaignId, params);
    assertEquals(1, queued.size(), "one delivery queued: " + queued);
    return queued.get(0);
  }

  private DeliveryOutcome run(Delivery d) {
    return core.delivery.deliver(d);
  }

  private Conversion conversion(Delivery d) {
    return core.conversions.find(d.clickId(), d.conversionKey()).orElseThrow();
  }

  private List<DeliveryAttempt> attempts(Delivery d) {
    return conversion(d).deliveries().stream()
        .filter(a -> a.target().equals(d.destinationId()) && a.status() == d.status())
        .toList();
  }

  private static DeliveryOutcome retryAfter(Duration delay) {
    return new DeliveryOutcome.RetryAfter(delay);
  }

  private static final DeliveryOutcome DELIVERED = new DeliveryOutcome.Delivered();

  private void campaignWithPostbackUrl(String campaignId, String url) {
    core.campaigns.put(campaign(campaignId).affiliate("a1", url).build());
  }

  @Test
  void everyAttempt_isInTheSentLog_withWhatWasSentAndWhatFollows() {
    core.sender.thenRespond(ScriptedPostbackSender.status(503), ScriptedPostbackSender.ok());
    Delivery d = convertOne("c1", "event", "sale", "txid", "T-log");

    assertEquals(retryAfter(Duration.ofMinutes(1)), run(d));
    Instant first = core.clock.instant();
    core.clock.advance(Duration.ofMinutes(1));
    assertEquals(DELIVERED, run(d));

    List<DeliveryLogEntry> log = core.deliveryLog.all();
    assertEquals(2, log.size());
    DeliveryLogEntry retrying = log.get(0);
    assertEquals(DeliveryLogEntry.Outcome.RETRYING, retrying.outcome());
    assertEquals(1, retrying.attempt());
    assertEquals(503, retrying.httpStatus());
    assertEquals("http_503", retrying.reason());
    assertEquals(first.plus(Duration.ofMinutes(1)), retrying.nextRetryAt());
    assertEquals("GET", retrying.method());
    assertTrue(retrying.url().startsWith("https://partner.example/pb?cid=" + d.clickId()), retrying.url());
    assertEquals(d.idempotencyKey(), retrying.deliveryId());
    assertEquals("c1", retrying.campaignId());
    DeliveryLogEntry delivered = log.get(1);
    assertEquals(DeliveryLogEntry.Outcome.DELIVERED, delivered.outcome());
    assertEquals(2, delivered.attempt());
    assertNull(delivered.nextRetryAt());
    assertEquals(delivered, core.deliveryLog.latest(d.idempotencyKey()).orElseThrow());
    assertEquals(d.clickId(), delivered.delivery().clickId());
  }

  @Test
  void theSentLog_masksSecretValues_inTheUrlAndTheBody() {
    Delivery d = convertOne("meta", "event", "purchase", "txid", "T-meta");
    assertEquals(DELIVERED, run(d));
    DeliveryLogEntry entry = core.deliveryLog.latest(d.idempotencyKey()).orElseThrow();
    assertFalse((entry.url() + entry.body()).contains("EAAB-test"), entry.url() + " " + entry.body());
    assertEquals("POST", entry.method());
    assertTrue(entry.body().contains("\"event_name\""), entry.body());
  }

  @Test
  void successfulDelivery_isMadeOnce_howeverOftenItRuns() {
    Delivery d = convertOne("c1", "event", "sale", "txid", "T-1");

    assertEquals(DELIVERED, run(d));
    core.clock.advance(Duration.ofSeconds(30));
    assertEquals(DELIVERED, run(d));
    assertEquals(DELIVERED, run(d.replayed(core.clock.instant())), "even a replay of a delivered one");

    assertEquals(1, core.sender.calls().size());
    List<DeliveryAttempt> log = attempts(d);
    assertEquals(1, log.size());
    assertEquals(new DeliveryAttempt("affiliate:a1", APPROVED, core.clock.instant().minusSeconds(30), 200, 12, null),
        log.get(0));
  }

  @Test
  void partnerFailingTwiceThenSucceeding_isDeliveredOnce_withTheSameIdempotencyKeyOnAllThreeAttempts() {
    Delivery d = convertOne("c1", "event", "sale", "txid", "T-1");
    core.sender.thenRespond(status(500), timeout());

    assertEquals(retryAfter(Duration.ofMinutes(1)), run(d), "first failure: wait the schedule's first step");
    assertEquals(retryAfter(Duration.ofMinutes(1)), run(d), "not yet due: no call");
    core.clock.advance(Duration.ofSeconds(40));
    assertEquals(retryAfter(Duration.ofSeconds(20)), run(d), "not yet due: the time that remains");
    assertEquals(1, core.sender.calls().size());
    core.clock.advance(Duration.ofSeconds(20));
    assertEquals(retryAfter(Duration.ofMinutes(5)), run(d), "second failure: the second step");
    core.clock.advance(Duration.ofMinutes(5));
    assertEquals(DELIVERED, run(d));
    assertEquals(DELIVERED, run(d));

    List<Call> calls = core.sender.calls();
    assertEquals(3, calls.size());
    for (Call call : calls) {
      assertEquals(d.idempotencyKey(), call.header("Idempotency-Key"));
      assertEquals(calls.get(0).url(), call.url(), "the same request each time");
    }
    assertEquals(List.of(500, 0, 200), attempts(d).stream().map(DeliveryAttempt::httpStatus).toList());
    assertEquals(java.util.Arrays.asList("http_500", "timeout", null),
        attempts(d).stream().map(DeliveryAttempt::error).toList());
    assertEquals(List.of(12L, ScriptedPostbackSender.READ_TIMEOUT_MILLIS, 12L),
        attempts(d).stream().map(DeliveryAttempt::latencyMillis).toList());
  }

  @Test
  void exhaustedSchedule_isDead_withTheLastError() {
    Delivery d = convertOne("c1", "event", "sale");
    core.sender.thenRespond(status(503), status(503), status(502), timeout());

    List<DeliveryOutcome> outcomes = new ArrayList<>();
    for (Duration wait : List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ZERO)) {
      outcomes.add(run(d));
      core.clock.advance(wait);
    }

    assertEquals(List.of(retryAfter(Duration.ofMinutes(1)), retryAfter(Duration.ofMinutes(5)),
        retryAfter(Duration.ofMinutes(30)), new DeliveryOutcome.Dead("retries_exhausted: timeout")), outcomes);
    assertEquals(CoreFixture.RETRIES.maxAttempts(), core.sender.calls().size());
    core.clock.advance(Duration.ofDays(3));
    assertEquals(new DeliveryOutcome.Dead("retries_exhausted: timeout"), run(d), "a dead delivery stays dead");
    assertEquals(4, core.sender.calls().size());
    assertEquals(4, attempts(d).size());
  }

  @Test
  void replay_restartsTheSchedule_andDeliversOnce() {
    Delivery d = convertOne("c1", "event", "sale");
    core.sender.byDefault(status(503));
    core.deliveryQueue.send(List.of(d));
    core.drainUntilSettled();
    assertEquals(List.of(d), core.deadLetters());
    assertEquals(4, core.sender.calls().size());

    core.sender.byDefault(ok()); // the partner is fixed
    core.clock.advance(Duration.ofHours(2));
    List<Delivery> replayed = core.replayDeadLetters();
    List<CoreFixture.Run> runs = core.drainUntilSettled();

    assertEquals(List.of(DELIVERED), runs.stream().map(CoreFixture.Run::outcome).toList());
    assertEquals(5, core.sender.calls().size());
    assertEquals(d.idempotencyKey(), core.sender.calls().get(4).idempotencyKey(), "a replay is the same delivery");
    assertEquals(DELIVERED, run(replayed.get(0)));
    assertEquals(DELIVERED, run(d));
    assertEquals(5, core.sender.calls().size(), "delivered once");
    assertEquals(List.of(), core.deadLetters());
  }

  @Test
  void replay_ofAStillFailingDelivery_getsAWholeScheduleAgain_thenIsDeadAgain() {
    Delivery d = convertOne("c1", "event", "sale");
    core.sender.byDefault(status(503));
    core.deliveryQueue.send(List.of(d));
    core.drainUntilSettled();
    core.clock.advance(Duration.ofHours(2));

    core.replayDeadLetters();
    core.drainUntilSettled();

    assertEquals(8, core.sender.calls().size());
    assertEquals(List.of(d), core.deadLetters().stream()
        .map(x -> new Delivery(x.clickId(), x.conversionKey(), x.destinationId(), x.status(), null)).toList());
  }

  @Test
  void liveClaimHeldElsewhere_meansNoCall_untilItExpires() {
    Delivery d = convertOne("c1", "event", "sale");
    Instant now = core.clock.instant();
    assertTrue(core.conversions.claim(d.clickId(), d.conversionKey(), "affiliate:a1", APPROVED,
        now.plus(DeliveryService.CLAIM), now), "another runner is calling out");

    assertEquals(retryAfter(DeliveryService.CLAIM), run(d));
    assertEquals(List.of(), core.sender.calls());
    assertEquals(List.of(), attempts(d), "nothing happened, nothing logged");

    core.clock.advance(DeliveryService.CLAIM.plusSeconds(1)); // that runner died without recording
    assertEquals(DELIVERED, run(d));
    assertEquals(1, core.sender.calls().size());
    assertTrue(core.deliveryLog.latest(d.idempotencyKey()).orElseThrow().possibleRepeat(),
        "the dead runner may have called: this attempt is logged as a possible repeat");
  }

  /**
   * The rule for a run killed after the partner answered and before it recorded the outcome: the
   * claim it left expires, the next run sends again with the same Idempotency-Key and logs a
   * possible repeat; an attempt after a recorded one is no possible repeat.
   */
  @Test
  void aRunKilledAfterCallingOut_isRepeatedWithTheSameKeyOnceItsClaimExpires_andMarkedAPossibleRepeat() {
    Delivery d = convertOne("c1", "event", "sale");
    Instant now = core.clock.instant();
    // the killed run: it claimed, called the partner, and died before recordDelivery
    assertEquals(ConversionStore.Claim.TAKEN, core.conversions.claimAt(d.clickId(), d.conversionKey(), "affiliate:a1",
        APPROVED, now.plus(DeliveryService.CLAIM), now));
    assertEquals(retryAfter(DeliveryService.CLAIM), run(d), "its claim holds off the redelivered message");
    core.clock.advance(DeliveryService.CLAIM.plusSeconds(1));

    assertEquals(DELIVERED, run(d));

    DeliveryLogEntry repeat = core.deliveryLog.latest(d.idempotencyKey()).orElseThrow();
    assertTrue(repeat.possibleRepeat(), repeat.toString());
    assertEquals(d.idempotencyKey(), core.sender.calls().get(0).idempotencyKey());
    assertEquals(DELIVERED, run(d), "recorded: done, no call");
    assertEquals(1, core.sender.calls().size());
  }

  @Test
  void anOrdinaryAttempt_isNoPossibleRepeat() {
    Delivery d = convertOne("c1", "event", "sale");
    assertEquals(DELIVERED, run(d));
    assertFalse(core.deliveryLog.latest(d.idempotencyKey()).orElseThrow().possibleRepeat());
  }

  @Test
  void aSecondRunDuringTheCall_waitsForTheClaim_insteadOfCallingToo() {
    Delivery d = convertOne("c1", "event", "sale");
    List<DeliveryOutcome> during = new ArrayList<>();
    List<Call> calls = new ArrayList<>();
    DeliveryService[] service = new DeliveryService[1];
    PostbackSender reentrant = (request, address) -> {
      calls.add(new Call(request, address));
      if (calls.size() == 1) {
        during.add(service[0].deliver(d)); // the same message, picked up by a second consumer right now
      }
      return ok();
    };
    service[0] = new DeliveryService(core.conversions, core.clicks, core.campaigns, DestinationTypes.BUILT_IN::get,
        reentrant, core.guard, CoreFixture.RETRIES, core.clock);

    assertEquals(DELIVERED, service[0].deliver(d));

    assertEquals(List.of(retryAfter(DeliveryService.CLAIM)), during);
    assertEquals(1, calls.size());
    assertEquals(DELIVERED, service[0].deliver(d), "and once it is recorded, it is done");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://internal.example/pb?c={click_id}",
      "http://169.254.169.254/latest/meta-data/?c={click_id}",
      "https://rebind.example/pb?c={click_id}",
      "http://[::ffff:10.0.0.1]/pb?c={click_id}"})
  void forbiddenDestination_isDead_withTheReasonRecorded_andNeverCalled(String url) {
    campaignWithPostbackUrl("ssrf", url);
    Delivery d = convertOne("ssrf", "event", "sale");

    DeliveryOutcome outcome = run(d);

    String reason = assertInstanceOf(DeliveryOutcome.Dead.class, outcome).reason();
    assertTrue(reason.startsWith("forbidden_destination: "), reason);
    assertEquals(List.of(), core.sender.calls());
    List<DeliveryAttempt> log = attempts(d);
    assertEquals(1, log.size());
    assertEquals(0, log.get(0).httpStatus());
    assertEquals(reason, log.get(0).error());
  }

  @Test
  void portOutsideTheDeploymentsAllowedPorts_isDead_withTheReasonRecorded_andNeverCalled() {
    campaignWithPostbackUrl("ports", "https://" + CoreFixture.PARTNER_HOST + ":8443/pb?c={click_id}");
    Delivery d = convertOne("ports", "event", "sale");
    DeliveryService restricted = new DeliveryService(core.conversions, core.clicks, core.campaigns,
        DestinationTypes.BUILT_IN::get, core.sender,
        new OutboundGuard(false, List.of(), List.of(80, 443), host -> new java.net.InetAddress[] {
            java.net.InetAddress.getByName(CoreFixture.PARTNER_ADDRESS)}),
        CoreFixture.RETRIES, core.clock);

    DeliveryOutcome outcome = restricted.deliver(d);

    String reason = assertInstanceOf(DeliveryOutcome.Dead.class, outcome).reason();
    assertTrue(reason.startsWith("forbidden_destination: ") && reason.contains("8443") && reason.contains("80, 443"),
        reason);
    assertEquals(List.of(), core.sender.calls());
    assertEquals(reason, attempts(d).get(0).error());
  }

  @Test
  void redirectToAPrivateAddress_isNotFollowed_isRecordedWithItsLocation_andRetried() {
    Delivery d = convertOne("c1", "event", "sale");
    core.sender.thenRespond(redirect(302, "http://10.0.0.5/admin"));

    assertEquals(retryAfter(Duration.ofMinutes(1)), run(d), "a redirect is not a delivery");

    assertEquals(1, core.sender.calls().size(), "the Location was not called");
    assertEquals(CoreFixture.PARTNER_ADDRESS, core.sender.calls().get(0).address().getHostAddress());
    DeliveryAttempt attempt = attempts(d).get(0);
    assertEquals(302, attempt.httpStatus());
    assertFalse(attempt.ok());
    assertTrue(attempt.error().contains("redirect_not_followed"), attempt.error());
    assertTrue(attempt.error().contains("http://10.0.0.5/admin"), attempt.error());
    assertFalse(conversion(d).deliveredFor("affiliate:a1", APPROVED));

    core.clock.advance(Duration.ofMinutes(1));
    assertEquals(DELIVERED, run(d));
    assertEquals(List.of(CoreFixture.PARTNER_HOST, CoreFixture.PARTNER_HOST),
        core.sender.calls().stream().map(c -> c.url().getHost()).toList());
  }

  @Test
  void hangingPartner_isATimeout_retriedLikeAnyFailure() {
    Delivery d = convertOne("c1", "event", "sale");
    core.sender.thenRespond(hang());

    assertEquals(retryAfter(Duration.ofMinutes(1)), run(d));

    DeliveryAttempt attempt = attempts(d).get(0);
    assertEquals("timeout", attempt.error());
    assertEquals(ScriptedPostbackSender.READ_TIMEOUT_MILLIS, attempt.latencyMillis());
  }

  @Test
  void oneFailingDestination_doesNotHoldUpAnother() {
    List<Delivery> queued = convert("two", "event", "sale");
    core.sender.byDefaultFor("slow.example", hang());
    core.deliveryQueue.send(queued);

    List<CoreFixture.Run> runs = core.drain();

    assertEquals(List.of("affiliate:a1", "slow"), runs.stream().map(r -> r.delivery().destinationId()).toList());
    assertEquals(List.of(DELIVERED, retryAfter(Duration.ofMinutes(1))),
        runs.stream().map(CoreFixture.Run::outcome).toList());
    assertNotEquals(queued.get(0).idempotencyKey(), queued.get(1).idempotencyKey(), "a key per destination");
  }

  @Test
  void metaDestination_isSentAsItsJsonEvent_withTheSameEventIdOnEveryAttempt() {
    Delivery d = convertOne("meta", "event", "sale", "amount", "49.90", "currency", "EUR");
    core.sender.thenRespond(status(500));

    assertEquals(retryAfter(Duration.ofMinutes(1)), run(d));
    core.clock.advance(Duration.ofMinutes(1));
    assertEquals(DELIVERED, run(d));

    List<Call> calls = core.sender.calls();
    assertEquals(2, calls.size());
    Call call = calls.get(1);
    assertEquals("POST", call.method());
    assertEquals("https://meta.example/v25.0/1234567890/events", call.url().toString());
    assertEquals("203.0.113.20", call.address().getHostAddress());
    assertEquals("Bearer EAAB-test", call.header("Authorization"));
    assertEquals(d.idempotencyKey(), call.header("Idempotency-Key"));
    assertTrue(call.body().contains("\"client_ip_address\":\"198.51.100.7\""), call.body());
    assertFalse(call.url().toString().contains("EAAB-test"), "the token never travels in the URL");
    String eventId = eventId(calls.get(0));
    assertFalse(eventId.isEmpty());
    assertEquals(eventId, eventId(call), "Meta dedupes on event_id: a retry must carry the same one");
    assertEquals(calls.get(0).body(), call.body(), "the retry is the same request");
  }

  private static String eventId(Call call) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"event_id\":\"([^\"]*)\"").matcher(call.body());
    assertTrue(m.find(), call.body());
    return m.group(1);
  }

  @Test
  void skip_isRecordedOnce_andNeverSent() {
    Delivery d = convertOne("meta", "event", "sale", "amount", "10");
    core.clock.advance(Duration.ofDays(8)); // the partner was down for a week, say

    DeliveryOutcome first = run(d);
    core.clock.advance(Duration.ofMinutes(10));
    DeliveryOutcome second = run(d);

    String reason = assertInstanceOf(DeliveryOutcome.Skipped.class, first).reason();
    assertTrue(reason.startsWith("event_too_old"), reason);
    assertInstanceOf(DeliveryOutcome.Skipped.class, second);
    assertEquals(List.of(), core.sender.calls());
    List<DeliveryAttempt> log = attempts(d);
    assertEquals(1, log.size(), "the reason is in the delivery log, once");
    assertEquals("skipped: " + reason, log.get(0).error());
    assertEquals(0, log.get(0).httpStatus());
  }

  @Test
  void announcedStatus_isTheDeliverysStatus_evenWhenTheConversionMovedOn() {
    Delivery pending = convertOne("c1", "event", "sale", "txid", "T-1", "status", "pending");
    AttributionService.Result approval = core.attribute(core.postback(
        "click_id", pending.clickId(), "event", "sale", "txid", "T-1", "status", "approved"));
    Delivery approved = approval.queued().get(0);

    assertEquals(DELIVERED, run(pending)); // runs late: the conversion is approved by now
    assertEquals(DELIVERED, run(approved));

    List<Call> calls = core.sender.calls();
    assertTrue(calls.get(0).url().getQuery().contains("&s=pending&"), calls.get(0).url().toString());
    assertTrue(calls.get(1).url().getQuery().contains("&s=approved&"), calls.get(1).url().toString());
    assertEquals(List.of(pending.idempotencyKey(), approved.idempotencyKey()),
        calls.stream().map(Call::idempotencyKey).toList());
    assertEquals(List.of(PENDING, APPROVED), conversion(pending).deliveries().stream().map(DeliveryAttempt::status).toList());
  }

  @Test
  void clickExpiredFromTheStore_stillDelivers_withWhatTheConversionRemembers() {
    Delivery d = convertOne("c1", "event", "sale", "txid", "T-1");
    core.clock.advance(Duration.ofDays(40)); // in the dead-letter queue meanwhile, say
    assertEquals(1, core.clicks.purgeExpired(core.clock.instant()));

    assertEquals(DELIVERED, run(d));

    String url = core.sender.calls().get(0).url().toString();
    assertTrue(url.startsWith("https://partner.example/pb?cid=" + d.clickId() + "&e=sale&s=approved&p=7.50&"), url);
    assertTrue(url.endsWith("&aff=a1"), url);
  }

  @Test
  void clickExpiredFromTheStore_stillDelivers_withItsSubIds() {
    Delivery d = convertOne("c1", "event", "sale", "txid", "T-1");
    core.clock.advance(Duration.ofDays(40));
    core.clicks.purgeExpired(core.clock.instant());

    assertEquals(DELIVERED, run(d));

    String url = core.sender.calls().get(0).url().toString();
    assertTrue(url.contains("&s1=s%201&"), "the affiliate's own click id is what it matches on: " + url);
  }

  @Test
  void removedDestination_isSkipped_withoutACall() {
    Delivery d = convertOne("c1", "event", "sale");
    core.campaigns.put(campaign("c1").affiliate("a1", (String) null).build()); // the operator removed the postback URL

    assertEquals(new DeliveryOutcome.Skipped("destination_removed"), run(d));
    assertEquals(List.of(), core.sender.calls());
    assertEquals(List.of(), attempts(d));
  }

  @Test
  void deliveryOfAConversionThatDoesNotExist_isDead() {
    Delivery d = new Delivery("no-such-click", "sale", "affiliate:a1", ConversionStatus.APPROVED, null);
    assertEquals(new DeliveryOutcome.Dead("conversion_not_found"), run(d));
    assertEquals(List.of(), core.sender.calls());
  }

  @Test
  void idempotencyKey_isTheSameForTheSameDelivery_andDiffersByEveryPartOfItsIdentity() {
    Delivery d = new Delivery("ck", "sale#T-1", "affiliate:a1", APPROVED, null);
    assertEquals(d.idempotencyKey(), new Delivery("ck", "sale#T-1", "affiliate:a1", APPROVED, null).idempotencyKey());
    assertEquals(d.idempotencyKey(), d.replayed(Instant.EPOCH).idempotencyKey(), "a replay keeps its key");
    for (Delivery other : List.of(new Delivery("ck2", "sale#T-1", "affiliate:a1", APPROVED, null),
        new Delivery("ck", "sale#T-2", "affiliate:a1", APPROVED, null),
        new Delivery("ck", "sale#T-1", "meta", APPROVED, null),
        new Delivery("ck", "sale#T-1", "affiliate:a1", PENDING, null))) {
      assertNotEquals(d.idempotencyKey(), other.idempotencyKey(), other.toString());
    }
    assertNull(d.replayedAt());
  }
}
