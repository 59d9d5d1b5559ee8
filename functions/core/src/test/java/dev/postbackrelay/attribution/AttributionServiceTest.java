package dev.postbackrelay.attribution;

import static dev.postbackrelay.common.ConversionStatus.APPROVED;
import static dev.postbackrelay.common.ConversionStatus.CHARGEBACK;
import static dev.postbackrelay.common.ConversionStatus.PENDING;
import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.AttributionService.Result;
import dev.postbackrelay.attribution.Decision.Outcome;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Destination.Trigger;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.forwarding.DeliveryOutcome;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.testing.CoreFixture;
import dev.postbackrelay.testing.ScriptedPostbackSender.Call;
import dev.postbackrelay.testing.ScriptedPostbackSender;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Attribution's rules, and which deliveries each decision puts on the delivery queue. Attribution
 * never calls a partner itself: the sending is {@code DeliveryServiceTest}'s. A few tests here
 * {@link CoreFixture#drain drain} the queue to show, end to end in memory, what a partner receives.
 */
class AttributionServiceTest {

  private static final String PARTNER_URL = "https://partner.example/pb?cid={click_id}&e={event}&s={status}"
      + "&p={payout}&a={amount}&c={currency}&tx={txid}&s1={sub1}&ext={external_id}&aff={affiliate_id}";

  private final CoreFixture core = new CoreFixture()
      .with(campaign("c1").minClickAge(Duration.ofSeconds(15)).fixedPayout("sale", "7.50")
          .affiliate("a1", PARTNER_URL).build())
      .with(campaign("c2").affiliate("a1", PARTNER_URL).build())
      .with(campaign("rep").repeatSales().percentPayout("sale", "10").affiliate("a1", PARTNER_URL).build());

  /** The service logs the failures it survives; these tests provoke them on purpose. */
  private static final java.util.logging.Logger SERVICE_LOG =
      java.util.logging.Logger.getLogger(AttributionService.class.getName());

  private static <T> T quietly(java.util.function.Supplier<T> call) {
    java.util.logging.Level before = SERVICE_LOG.getLevel();
    SERVICE_LOG.setLevel(java.util.logging.Level.OFF);
    try {
      return call.get();
    } finally {
      SERVICE_LOG.setLevel(before);
    }
  }

  private String clickAndWait(String campaignId) {
    String id = core.click(campaignId, "a1", "sub1", "s 1");
    core.clock.advance(Duration.ofMinutes(10));
    return id;
  }

  private Conversion onlyConversion(String clickId) {
    List<Conversion> all = core.conversions.findByClick(clickId);
    assertEquals(1, all.size(), "one conversion");
    return all.get(0);
  }

  private Decision logged(Postback p) {
    return core.log.find(p.postbackId()).orElseThrow(() -> new AssertionError("no log entry for " + p.postbackId()))
        .decision();
  }

  private static Delivery toAffiliate(String clickId, String key, ConversionStatus status) {
    return new Delivery(clickId, key, "affiliate:a1", status, null);
  }

  private static List<String> destinationIds(Result r) {
    return r.queued().stream().map(Delivery::destinationId).toList();
  }

  private void assertRejected(Reason reason, Postback p) {
    Result r = core.attribute(p);
    assertEquals(Outcome.REJECTED, r.decision().outcome());
    assertEquals(reason, r.decision().reason());
    assertEquals(List.of(), r.queued(), "a rejection queues no delivery");
    assertEquals(r.decision(), logged(p), "the rejection is recorded");
    assertEquals(List.of(), core.deliveryQueue.sent(), "nothing queued");
  }

  @Test
  void matchingPostback_isAttributed_recorded_andQueuedForItsAffiliate() {
    String click = clickAndWait("c1");
    Postback p = core.postback("click_id", click, "event", "sale", "txid", "T-1", "amount", "100", "currency", "USD");

    Result r = core.attribute(p);

    assertEquals(new Decision(Outcome.ATTRIBUTED, null, click + "/sale"), r.decision());
    assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), r.queued());
    assertEquals(r.queued(), core.deliveryQueue.sent(), "what the result reports is what was queued");
    assertEquals(r.decision(), logged(p));
    Conversion c = onlyConversion(click);
    assertEquals("c1", c.campaignId());
    assertEquals("a1", c.affiliateId());
    assertEquals(APPROVED, c.status(), "a postback without status confirms the conversion");
    assertEquals("T-1", c.txid());
    assertEquals(p.postbackId(), c.postbackId());
    assertEquals(List.of(new StatusChange(null, APPROVED, p.receivedAt(), p.postbackId())), c.history());
    assertEquals(List.of(), core.sender.calls(), "attribution itself never calls a partner");
    assertEquals(List.of(), c.deliveries());
  }

  @Test
  void queuedDelivery_reachesTheAffiliate_withEveryMacroFilled() {
    String click = clickAndWait("c1");
    Result r = core.attribute(
        core.postback("click_id", click, "event", "sale", "txid", "T-1", "amount", "100", "currency", "USD"));

    List<CoreFixture.Run> runs = core.drain();

    assertEquals(List.of(new DeliveryOutcome.Delivered()), runs.stream().map(CoreFixture.Run::outcome).toList());
    List<Call> calls = core.sender.calls();
    assertEquals(1, calls.size());
    assertEquals("https://partner.example/pb?cid=" + click + "&e=sale&s=approved&p=7.50&a=100.00&c=USD&tx=T-1"
        + "&s1=s%201&ext=&aff=a1", calls.get(0).url().toString());
    assertEquals("GET", calls.get(0).method());
    assertEquals(CoreFixture.PARTNER_ADDRESS, calls.get(0).address().getHostAddress());
    assertEquals(r.queued().get(0).idempotencyKey(), calls.get(0).idempotencyKey());
    DeliveryAttempt attempt = onlyConversion(click).deliveries().get(0);
    assertEquals("affiliate:a1", attempt.target());
    assertEquals(APPROVED, attempt.status());
    assertEquals(200, attempt.httpStatus());
    assertTrue(attempt.ok());
  }

  @Test
  void duplicatePostback_isCountedOnce_andQueuedOnce_acrossThreeSends() {
    String click = clickAndWait("c1");
    List<Postback> sends = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sends.add(core.postback("click_id", click, "event", "sale", "txid", "T-1"));
      core.clock.advance(Duration.ofSeconds(2)); // the network re-sends because we seemed slow
    }

    List<Result> results = sends.stream().map(core::attribute).toList();

    assertEquals(Outcome.ATTRIBUTED, results.get(0).decision().outcome());
    assertEquals(new Decision(Outcome.DUPLICATE, Reason.DUPLICATE, click + "/sale"), results.get(1).decision());
    assertEquals(new Decision(Outcome.DUPLICATE, Reason.DUPLICATE, click + "/sale"), results.get(2).decision());
    assertEquals(List.of(), results.get(1).queued(), "a duplicate queues nothing");
    assertEquals(List.of(), results.get(2).queued());
    assertEquals(results.get(0).queued(), core.deliveryQueue.sent());
    assertEquals(1, core.conversions.findByClick(click).size());
    assertEquals(sends.stream().map(Postback::postbackId).toList(),
        core.log.findByClick(click).stream().map(r -> r.postback().postbackId()).toList(), "all three are in the log");
    core.drain();
    assertEquals(1, core.sender.calls().size());
  }

  @Test
  void redeliveryOfTheSameMessage_queuesTheSameDeliveriesAgain_andChangesNothingElse() {
    String click = clickAndWait("c1");
    Postback p = core.postback("click_id", click, "event", "sale", "txid", "T-1");

    Result first = core.attribute(p);
    Result second = core.attribute(p);
    Result third = core.attribute(p);

    assertEquals(Outcome.ATTRIBUTED, second.decision().outcome());
    assertEquals(Outcome.ATTRIBUTED, third.decision().outcome());
    assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), first.queued());
    assertEquals(first.queued(), second.queued(), "the very same delivery, so the same Idempotency-Key");
    assertEquals(first.queued(), third.queued());
    assertEquals(3, core.deliveryQueue.sent().size());
    Conversion c = onlyConversion(click);
    assertEquals(1, c.history().size(), "re-delivery changes nothing else");
    assertEquals(1, core.log.findByClick(click).size(), "one log entry per postback");
  }

  @Test
  void reQueuedDeliveries_reachThePartnerOnce_withOneKey() {
    String click = clickAndWait("c1");
    core.sender.thenRespond(ScriptedPostbackSender.status(503));
    Postback p = core.postback("click_id", click, "event", "sale", "txid", "T-1");

    core.attribute(p);
    core.drain(); // 503: postponed
    core.attribute(p); // the postback's message comes again
    core.drainUntilSettled();
    core.attribute(p);
    core.drainUntilSettled();

    List<Call> calls = core.sender.calls();
    assertEquals(2, calls.size(), "one failed attempt, one successful, none after");
    assertEquals(calls.get(0).idempotencyKey(), calls.get(1).idempotencyKey(), "a retry carries the same key");
    assertEquals(List.of(503, 200), onlyConversion(click).deliveries().stream().map(DeliveryAttempt::httpStatus).toList());
  }

  @Test
  void unknownClick_isRejected_andRecorded() {
    String neverStored = core.clickIds.issue(core.clock.instant());
    Postback p = core.postback("campaign_id", "c1", "click_id", neverStored, "event", "sale");
    assertRejected(Reason.UNKNOWN_CLICK, p);
    assertEquals(List.of(), core.conversions.all());
  }

  @Test
  void clickOlderThanTheWindow_isRejectedAsExpired() {
    String click = core.click("c2", "a1");
    core.clock.advance(Duration.ofDays(30).plusSeconds(1));
    assertRejected(Reason.CLICK_EXPIRED, core.postback("click_id", click));
    assertEquals(List.of(), core.conversions.findByClick(click));
  }

  @Test
  void clickExactlyAsOldAsTheWindow_isStillAttributed() {
    String click = core.click("c2", "a1");
    core.clock.advance(Duration.ofDays(30));
    assertEquals(Outcome.ATTRIBUTED, core.attribute(core.postback("click_id", click)).decision().outcome());
  }

  @Test
  void conversionSoonerThanTheMinimumClickAge_isRejectedAsTooFast() {
    String click = core.click("c1", "a1");
    core.clock.advance(Duration.ofSeconds(14));
    assertRejected(Reason.TOO_FAST, core.postback("click_id", click, "event", "sale"));
    core.clock.advance(Duration.ofSeconds(1));
    assertEquals(Outcome.ATTRIBUTED, core.attribute(core.postback("click_id", click, "event", "sale")).decision().outcome());
  }

  @Test
  void postbackNamingAnotherCampaign_isRejectedAsMismatch() {
    String click = clickAndWait("c1");
    assertRejected(Reason.CAMPAIGN_MISMATCH, core.postback("campaign_id", "c2", "click_id", click));
    assertEquals(List.of(), core.conversions.findByClick(click));
  }

  @Test
  void postbackNamingAnotherCampaign_writesNothingKeyedByTheOtherCampaignsClick() {
    core.campaigns.put(campaign("own").token("own-campaign-token").affiliate("a1", PARTNER_URL).build());
    String click = clickAndWait("c1");

    Postback p = core.postback("campaign_id", "own", "token", "own-campaign-token", "click_id", click, "payout", "9999");
    assertRejected(Reason.CAMPAIGN_MISMATCH, p);

    assertEquals(List.of(), core.conversions.findByClick(click));
    assertEquals(List.of(), core.log.findByClick(click), "no log copy under the other campaign's click");
    assertEquals(Reason.CAMPAIGN_MISMATCH, core.log.find(p.postbackId()).orElseThrow().decision().reason(),
        "the postback's own log entry stays");
  }

  @Test
  void unauthenticatedPostback_cannotSetItsOwnPayout_theCampaignRuleApplies() {
    core.campaigns.put(campaign("open").fixedPayout("sale", "5").affiliate("a1", PARTNER_URL).build());
    String click = clickAndWait("open");

    assertEquals(Outcome.ATTRIBUTED,
        core.attribute(core.postback("click_id", click, "event", "sale", "payout", "9999")).decision().outcome());

    Conversion c = onlyConversion(click);
    assertEquals(0, new BigDecimal("5").compareTo(c.payout()), "payout " + c.payout());
  }

  @Nested
  class RepeatSales {

    @Test
    void newTxidOnTheSameClickAndEvent_isARepeatSale_whereAllowed() {
      String click = clickAndWait("rep");
      Result first = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "amount", "10"));
      Result second = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-2", "amount", "20"));

      assertEquals(new Decision(Outcome.ATTRIBUTED, null, click + "/sale#T-1"), first.decision());
      assertEquals(new Decision(Outcome.ATTRIBUTED, null, click + "/sale#T-2"), second.decision());
      assertEquals(2, core.conversions.findByClick(click).size());
      assertEquals(List.of(toAffiliate(click, "sale#T-1", APPROVED)), first.queued());
      assertEquals(List.of(toAffiliate(click, "sale#T-2", APPROVED)), second.queued());
      assertNotEquals(first.queued().get(0).idempotencyKey(), second.queued().get(0).idempotencyKey(),
          "each sale is its own delivery");
    }

    @Test
    void newTxidOnTheSameClickAndEvent_isRefused_whereNotAllowed() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1"));
      Postback repeat = core.postback("click_id", click, "event", "sale", "txid", "T-2");

      Result r = core.attribute(repeat);

      assertEquals(new Decision(Outcome.REJECTED, Reason.REPEAT_NOT_ALLOWED, click + "/sale"), r.decision());
      assertEquals(r.decision(), logged(repeat));
      assertEquals("T-1", onlyConversion(click).txid());
      assertEquals(List.of(), r.queued());
      assertEquals(1, core.deliveryQueue.sent().size());
    }

    @Test
    void anotherEventOnTheSameClick_isAnotherConversion() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "registration"));
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1"));
      assertEquals(2, core.conversions.findByClick(click).size());
      assertEquals(List.of(toAffiliate(click, "registration", APPROVED), toAffiliate(click, "sale", APPROVED)),
          core.deliveryQueue.sent());
    }
  }

  @Nested
  class Statuses {

    @Test
    void pendingThenApprovedThenChargeback_isAccepted_withHistory_andEachChangeQueued() {
      String click = clickAndWait("c1");
      Postback pending = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "lead");
      core.clock.advance(Duration.ofDays(2));
      Postback approved = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved");
      core.clock.advance(Duration.ofDays(20));
      Postback chargeback = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "chargeback");

      Result created = core.attribute(pending);
      Result r1 = core.attribute(approved);
      Result r2 = core.attribute(chargeback);

      assertEquals(Outcome.ATTRIBUTED, created.decision().outcome());
      assertEquals(new Decision(Outcome.STATUS_UPDATED, null, click + "/sale"), r1.decision());
      assertEquals(new Decision(Outcome.STATUS_UPDATED, null, click + "/sale"), r2.decision());
      Conversion c = onlyConversion(click);
      assertEquals(CHARGEBACK, c.status());
      assertEquals(List.of(
          new StatusChange(null, PENDING, pending.receivedAt(), pending.postbackId()),
          new StatusChange(PENDING, APPROVED, approved.receivedAt(), approved.postbackId()),
          new StatusChange(APPROVED, CHARGEBACK, chargeback.receivedAt(), chargeback.postbackId())),
          c.history());
      assertEquals(List.of(toAffiliate(click, "sale", PENDING), toAffiliate(click, "sale", APPROVED),
          toAffiliate(click, "sale", CHARGEBACK)), core.deliveryQueue.sent());
      assertEquals(List.of(Outcome.ATTRIBUTED, Outcome.STATUS_UPDATED, Outcome.STATUS_UPDATED),
          core.log.findByClick(click).stream().map(r -> r.decision().outcome()).toList());

      core.drain();
      List<Call> calls = core.sender.calls();
      assertEquals(List.of("s=pending", "s=approved", "s=chargeback"),
          calls.stream().map(call -> call.url().getQuery().split("&")[2]).toList());
      assertEquals(3, Set.copyOf(calls.stream().map(Call::idempotencyKey).toList()).size(),
          "each status announced carries its own Idempotency-Key");
    }

    @Test
    void statusChange_queuesANewDelivery_withItsOwnIdempotencyKey() {
      String click = clickAndWait("c1");
      Result created = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      Result changed = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));

      assertEquals(List.of(toAffiliate(click, "sale", PENDING)), created.queued());
      assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), changed.queued());
      assertNotEquals(created.queued().get(0).idempotencyKey(), changed.queued().get(0).idempotencyKey());
    }

    @Test
    void approvedBackToPending_isRefused_changesNothing_andQueuesNothing() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));
      Postback backwards = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending");

      Result r = core.attribute(backwards);

      assertEquals(new Decision(Outcome.REJECTED, Reason.INVALID_STATUS_TRANSITION, click + "/sale"), r.decision());
      assertEquals(r.decision(), logged(backwards));
      assertEquals(APPROVED, onlyConversion(click).status());
      assertEquals(1, onlyConversion(click).history().size());
      assertEquals(List.of(), r.queued());
      assertEquals(1, core.deliveryQueue.sent().size());
    }

    @Test
    void rejectedIsFinal() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "rejected"));
      Result r = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));
      assertEquals(Reason.INVALID_STATUS_TRANSITION, r.decision().reason());
      assertEquals(List.of(), r.queued());
    }

    @Test
    void sameStatusAgain_isADuplicate() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      Result r = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "hold"));
      assertEquals(new Decision(Outcome.DUPLICATE, Reason.DUPLICATE, click + "/sale"), r.decision());
      assertEquals(List.of(), r.queued());
    }

    @Test
    void statusChangeAfterTheWindow_isStillAccepted_andQueued() {
      String click = clickAndWait("c2");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      core.clock.advance(Duration.ofDays(60));
      Result r = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));
      assertEquals(Outcome.STATUS_UPDATED, r.decision().outcome());
      assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), r.queued());
    }

    @Test
    void statusChangeAfterTheClickIsPurged_isStillAccepted_andQueued() {
      String click = clickAndWait("c2");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      core.clock.advance(Duration.ofDays(60)); // approvals and chargebacks come months later
      assertEquals(1, core.clicks.purgeExpired(core.clock.instant()), "the store's TTL removed the click");

      // with campaign_id the postback passes intake without reading the click (without it, intake refuses it too)
      Result r = core.attribute(core.postback("campaign_id", "c2", "click_id", click, "event", "sale", "txid", "T-1",
          "status", "approved"));

      assertEquals(new Decision(Outcome.STATUS_UPDATED, null, click + "/sale"), r.decision());
      assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), r.queued());
    }

    @Test
    void redeliveredStatusChange_isNotAppliedTwice_andRequeuesTheSameDelivery() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      Postback approve = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved");

      Result first = core.attribute(approve);
      Result again = core.attribute(approve);

      assertEquals(Outcome.STATUS_UPDATED, first.decision().outcome());
      assertEquals(Outcome.STATUS_UPDATED, again.decision().outcome());
      assertEquals(first.queued(), again.queued());
      assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), again.queued());
      assertEquals(2, onlyConversion(click).history().size());
      core.drain();
      assertEquals(2, core.sender.calls().size(), "pending once, approved once");
    }

    @Test
    void redeliveredCreation_afterTheStatusMovedOn_requeuesWhatItQueuedThen() {
      core.campaigns.put(campaign("once").affiliate("a1", PARTNER_URL)
          .destination(new Destination("on-create", Destination.Type.POSTBACK, null,
              "https://partner.example/new?c={click_id}&s={status}", null, null, true, null, null,
              Set.of(Trigger.CREATED), null, null))
          .build());
      String click = clickAndWait("once");
      Postback lead = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending");
      Result created = core.attribute(lead);
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));

      Result redelivered = core.attribute(lead); // e.g. the consumer timed out after processing it

      assertEquals(List.of(toAffiliate(click, "sale", PENDING), new Delivery(click, "sale", "on-create", PENDING, null)),
          created.queued());
      assertEquals(created.queued(), redelivered.queued(),
          "a destination that fires only on creation must not be told of the approval, with a new key");
    }

    @Test
    void statusChangeWhoseQueueingFailed_isQueuedOnRetry_evenAfterALaterChange() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      Postback approve = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved");
      core.deliveryQueue.goDown();
      assertNull(quietly(() -> core.attribute(approve)), "not queued: its message will be retried");
      core.deliveryQueue.comeBack();
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "chargeback"));

      Result retried = core.attribute(approve);

      assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), retried.queued(),
          "the approval must still reach the affiliate");
    }
  }

  @Nested
  class Money {

    private Conversion convert(String campaignId, String... params) {
      String click = clickAndWait(campaignId);
      String[] all = new String[params.length + 2];
      all[0] = "click_id";
      all[1] = click;
      System.arraycopy(params, 0, all, 2, params.length);
      assertEquals(Outcome.ATTRIBUTED, core.attribute(core.postback(all)).decision().outcome());
      return onlyConversion(click);
    }

    private void assertMoney(String expected, BigDecimal actual) {
      assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + " but was " + actual);
    }

    @Test
    void fixedPayout_ignoresTheAmount_andKeepsItApart() {
      Conversion c = convert("c1", "event", "sale", "amount", "100");
      assertMoney("7.50", c.payout());
      assertMoney("100", c.amount());
      assertEquals("USD", c.payoutCurrency());
    }

    @Test
    void percentPayout_isAShareOfTheAmount() {
      assertMoney("8", convert("rep", "event", "sale", "amount", "80").payout());
    }

    @Test
    void explicitPayout_ofAnAuthenticatedPostback_overridesTheRule() {
      core.campaigns.put(campaign("c1t").token("c1t-token-0").fixedPayout("sale", "7.50").affiliate("a1", PARTNER_URL).build());
      core.campaigns.put(campaign("rept").token("rept-token-0").repeatSales().percentPayout("sale", "10")
          .affiliate("a1", PARTNER_URL).build());
      Conversion fixed = convert("c1t", "token", "c1t-token-0", "event", "sale", "amount", "100", "payout", "3");
      assertMoney("3", fixed.payout());
      assertNull(fixed.payoutNote());
      assertMoney("3", convert("rept", "token", "rept-token-0", "event", "sale", "amount", "100", "commission", "3").payout());
    }

    @Test
    void explicitPayout_ofAnUnauthenticatedPostback_isIgnored_andTheConversionSaysSo() {
      Conversion c = convert("c1", "event", "sale", "amount", "100", "payout", "3");
      assertMoney("7.50", c.payout());
      assertTrue(c.payoutNote().startsWith("payout_ignored") && c.payoutNote().contains("not authenticated"), c.payoutNote());
    }

    @Test
    void postbackPayoutNever_ignoresEvenAnAuthenticatedPayout_andAlways_takesAnyPayout() {
      core.campaigns.put(campaign("never").token("never-token").postbackPayout(dev.postbackrelay.campaign.Campaign.PostbackPayout.NEVER)
          .fixedPayout("sale", "7.50").affiliate("a1", PARTNER_URL).build());
      core.campaigns.put(campaign("always").postbackPayout(dev.postbackrelay.campaign.Campaign.PostbackPayout.ALWAYS)
          .fixedPayout("sale", "7.50").affiliate("a1", PARTNER_URL).build());
      Conversion never = convert("never", "token", "never-token", "event", "sale", "payout", "3");
      assertMoney("7.50", never.payout());
      assertTrue(never.payoutNote().contains("never"), never.payoutNote());
      Conversion always = convert("always", "event", "sale", "payout", "3");
      assertMoney("3", always.payout());
      assertNull(always.payoutNote());
    }

    @Test
    void noRule_andNoExplicitPayout_paysZero() {
      Conversion c = convert("c2", "event", "sale", "amount", "100");
      assertMoney("0", c.payout());
    }

    @Test
    void wildcardRule_appliesToEveryOtherEvent() {
      core.campaigns.put(campaign("star").fixedPayout("*", "1.25").fixedPayout("sale", "9").affiliate("a1", PARTNER_URL).build());
      assertMoney("1.25", convert("star", "event", "registration").payout());
      assertMoney("9", convert("star", "event", "sale").payout());
    }

    @Test
    void amountInAnotherCurrency_isConvertedWithTheRateTable() {
      core.campaigns.put(campaign("eur").currency("EUR").percentPayout("sale", "10").affiliate("a1", PARTNER_URL).build());
      Conversion c = convert("eur", "event", "sale", "amount", "100", "currency", "USD");
      assertMoney("9.2", c.payout());
      assertEquals("EUR", c.payoutCurrency());
      assertMoney("100", c.amount());
      assertEquals("USD", c.currency(), "the amount stays as sent");
    }

    @Test
    void explicitPayoutInAnotherCurrency_isConverted() {
      core.campaigns.put(campaign("eur").token("eur-token-0").currency("EUR").affiliate("a1", PARTNER_URL).build());
      Conversion c = convert("eur", "token", "eur-token-0", "event", "sale", "payout", "10", "currency", "GBP");
      assertMoney("11.6456", c.payout()); // 10 GBP * (0.92 / 0.79) EUR per GBP, 4 places
      assertEquals("EUR", c.payoutCurrency());
    }

    @Test
    void conversionRateParameter_overridesTheTable() {
      core.campaigns.put(campaign("eur").currency("EUR").percentPayout("sale", "10").affiliate("a1", PARTNER_URL).build());
      assertMoney("5", convert("eur", "event", "sale", "amount", "100", "currency", "USD", "conversion_rate", "0.5").payout());
    }

    @Test
    void currencyWithoutARate_keepsThePayoutInThatCurrency() {
      core.campaigns.put(campaign("eur").currency("EUR").percentPayout("sale", "10").affiliate("a1", PARTNER_URL).build());
      Conversion c = convert("eur", "event", "sale", "amount", "5000", "currency", "JPY");
      assertMoney("500", c.payout());
      assertEquals("JPY", c.payoutCurrency());
    }

    @Test
    void noCurrency_meansTheCampaignCurrency() {
      core.campaigns.put(campaign("eur").currency("EUR").percentPayout("sale", "10").affiliate("a1", PARTNER_URL).build());
      Conversion c = convert("eur", "event", "sale", "amount", "40");
      assertEquals("EUR", c.currency());
      assertMoney("4", c.payout());
    }
  }

  @Nested
  class Lifetime {

    @Test
    void newCustomer_isBound_andALaterCustomerOnlyPostback_isAttributedToTheSameAffiliate() {
      String click = clickAndWait("rep");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "customer_id", "cu-1",
          "new_customer", "true", "amount", "10"));
      assertEquals(Optional.of(click), core.customers.boundClick("rep", "cu-1"));
      core.clock.advance(Duration.ofDays(10));
      Postback rebill = core.postback("campaign_id", "rep", "customer_id", "cu-1", "event", "sale", "txid", "T-2",
          "amount", "10");

      Result r = core.attribute(rebill);

      assertEquals(new Decision(Outcome.ATTRIBUTED, null, click + "/sale#T-2"), r.decision());
      Conversion c = core.conversions.find(click, "sale#T-2").orElseThrow();
      assertEquals("a1", c.affiliateId());
      assertEquals("cu-1", c.extra().get("customer_id"));
      assertEquals(r.decision(), logged(rebill));
      assertEquals(2, core.log.findByClick(click).size(), "the lifetime postback is logged under the click");
      assertEquals(List.of(new Delivery(click, "sale#T-2", "affiliate:a1", ConversionStatus.APPROVED, null)), r.queued());
      core.drain();
      assertTrue(core.sender.calls().get(1).url().getQuery().contains("ext=cu-1"), "external_id is the customer");
    }

    @Test
    void customerWithoutNewCustomerFlag_isNotBound() {
      String click = clickAndWait("rep");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "customer_id", "cu-2"));
      assertEquals(Optional.empty(), core.customers.boundClick("rep", "cu-2"));
    }

    @Test
    void firstBindingWins() {
      String first = clickAndWait("rep");
      String second = clickAndWait("rep");
      core.attribute(core.postback("click_id", first, "event", "sale", "txid", "T-1", "customer_id", "cu-3", "new_customer", "1"));
      core.attribute(core.postback("click_id", second, "event", "sale", "txid", "T-2", "customer_id", "cu-3", "new_customer", "1"));
      assertEquals(Optional.of(first), core.customers.boundClick("rep", "cu-3"));
    }

    @Test
    void unknownCustomer_isRejected_andRecorded() {
      Postback p = core.postback("campaign_id", "rep", "customer_id", "stranger", "event", "sale", "txid", "T-9");
      Result r = core.attribute(p);
      assertEquals(Decision.rejected(Reason.UNKNOWN_CUSTOMER), r.decision());
      assertEquals(r.decision(), logged(p));
      assertEquals(List.of(), core.conversions.all());
      assertEquals(List.of(), r.queued());
      assertEquals(List.of(), core.deliveryQueue.sent());
    }

    @Test
    void lifetimePostback_afterTheAttributionWindow_isStillAttributed() {
      String click = clickAndWait("rep");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "customer_id", "cu-4", "new_customer", "1"));
      core.clock.advance(Duration.ofDays(45));
      Postback rebill = core.postback("campaign_id", "rep", "customer_id", "cu-4", "event", "sale", "txid", "T-2");
      assertEquals(new Decision(Outcome.ATTRIBUTED, null, click + "/sale#T-2"), core.attribute(rebill).decision());
    }

    @Test
    void redelivery_afterTheBindingFailed_stillBindsTheCustomer() {
      CustomerStore flaky = new CustomerStore() {
        private boolean failed;

        @Override
        public synchronized void bind(String campaignId, String customerId, String clickId) {
          if (!failed) {
            failed = true;
            throw new IllegalStateException("throttled (test)");
          }
          core.customers.bind(campaignId, customerId, clickId);
        }

        @Override
        public Optional<String> boundClick(String campaignId, String customerId) {
          return core.customers.boundClick(campaignId, customerId);
        }
      };
      AttributionService attribution = new AttributionService(core.clicks, core.campaigns, core.conversions, flaky,
          core.log, core.deliveryQueue, RateTable.parse(CoreFixture.RATES), core.clock);
      String click = clickAndWait("rep");
      Postback first = core.postback("click_id", click, "event", "sale", "txid", "T-1", "customer_id", "cu-5", "new_customer", "1");

      assertNull(quietly(() -> attribution.attributeAll(List.of(first))).get(first.postbackId()), "failed: will be retried");
      assertEquals(Outcome.ATTRIBUTED, attribution.attributeAll(List.of(first)).get(first.postbackId()).decision().outcome());

      assertEquals(Optional.of(click), core.customers.boundClick("rep", "cu-5"));
    }
  }

  @Nested
  class Destinations {

    private Destination destination(String id, String affiliateId, Set<String> events,
        Set<ConversionStatus> statuses, Set<Trigger> fireOn) {
      return new Destination(id, Destination.Type.POSTBACK, affiliateId, "https://partner.example/" + id + "?c={click_id}",
          null, null, true, events, statuses, fireOn, null, null);
    }

    @Test
    void destinationFilters_byAffiliateEventStatusAndTrigger_decideWhatIsQueued() {
      core.campaigns.put(campaign("multi")
          .affiliate("a1", PARTNER_URL)
          .affiliate("a2", (String) null)
          .destination(destination("ts-a1", "a1", null, null, null))
          .destination(destination("ts-a2", "a2", null, null, null))
          .destination(destination("sales-only", null, Set.of("sale"), null, null))
          .destination(destination("approved-only", null, null, Set.of(APPROVED), null))
          .destination(destination("on-create", null, null, null, Set.of(Trigger.CREATED)))
          .destination(destination("on-change", null, null, null, Set.of(Trigger.STATUS_CHANGE)))
          .build());
      String click = clickAndWait("multi");

      Result pendingSale = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      Result approvedSale = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));
      Result registration = core.attribute(core.postback("click_id", click, "event", "registration"));

      assertEquals(List.of("affiliate:a1", "ts-a1", "sales-only", "on-create"), destinationIds(pendingSale));
      assertEquals(List.of("affiliate:a1", "ts-a1", "sales-only", "approved-only", "on-change"), destinationIds(approvedSale));
      assertEquals(List.of("affiliate:a1", "ts-a1", "approved-only", "on-create"), destinationIds(registration));
      assertTrue(approvedSale.queued().stream().allMatch(d -> d.status() == APPROVED));
    }

    @Test
    void anotherAffiliatesConversion_firesOnlyTheDestinationsOfThatAffiliate() {
      core.campaigns.put(campaign("two").affiliate("a1", PARTNER_URL)
          .affiliate("a2", "https://partner.example/a2?c={click_id}")
          .destination(destination("ts-a1", "a1", null, null, null))
          .destination(destination("everyone", null, null, null, null))
          .build());
      String click = core.click("two", "a2");
      core.clock.advance(Duration.ofMinutes(1));

      Result r = core.attribute(core.postback("click_id", click, "event", "sale"));

      assertEquals(List.of("affiliate:a2", "everyone"), destinationIds(r));
    }

    @Test
    void affiliateFilters_decideWhichConversionsFire() {
      core.campaigns.put(campaign("filtered").affiliate("a1", new Affiliate(PARTNER_URL, "POST", Set.of("sale"),
          Set.of(APPROVED))).build());
      String click = clickAndWait("filtered");
      assertEquals(List.of(), core.attribute(core.postback("click_id", click, "event", "registration")).queued());
      assertEquals(List.of(), core.attribute(core.postback("click_id", click, "event", "sale", "status", "pending")).queued(),
          "neither fires");
      Result r = core.attribute(core.postback("click_id", click, "event", "sale", "status", "approved"));
      assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), r.queued(), "the approval of the sale fires");
      core.drain();
      assertEquals(1, core.sender.calls().size());
      assertEquals("POST", core.sender.calls().get(0).method());
    }

    @Test
    void affiliateWithoutPostbackUrl_owesNothing() {
      core.campaigns.put(campaign("silent").affiliate("a1", (String) null).build());
      String click = clickAndWait("silent");
      assertEquals(List.of(), core.attribute(core.postback("click_id", click)).queued());
      assertEquals(List.of(), core.deliveryQueue.sent());
    }

    @Test
    void partnersOwnPlaceholder_isKept_andTheUrlStillDelivered() {
      core.campaigns.put(campaign("own").affiliate("a1", "https://partner.example/pb?cid={click_id}&mine={aff_sub2}").build());
      String click = clickAndWait("own");
      core.attribute(core.postback("click_id", click));
      core.drain();
      assertTrue(onlyConversion(click).deliveredFor("affiliate:a1", APPROVED), String.valueOf(onlyConversion(click).deliveries()));
      assertEquals(1, core.sender.calls().size());
      assertTrue(core.sender.calls().get(0).url().toString().contains("mine=%7Baff_sub2%7D"));
    }
  }

  @Nested
  class DeliveryQueueDown {

    @Test
    void creation_isLeftForRetry_andTheRetryQueuesTheDelivery() {
      String click = clickAndWait("c1");
      Postback p = core.postback("click_id", click, "event", "sale", "txid", "T-1");
      core.deliveryQueue.goDown();

      Map<String, Result> results = quietly(() -> core.attribution.attributeAll(List.of(p)));

      assertFalse(results.containsKey(p.postbackId()), "not finished: its message is retried");
      assertTrue(core.log.find(p.postbackId()).isEmpty(), "nothing recorded until its deliveries are queued");
      assertEquals(1, core.conversions.findByClick(click).size(), "the conversion is counted already");

      core.deliveryQueue.comeBack();
      Result retried = core.attribute(p);

      assertEquals(new Decision(Outcome.ATTRIBUTED, null, click + "/sale"), retried.decision());
      assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), retried.queued());
      assertEquals(retried.queued(), core.deliveryQueue.sent());
      assertEquals(1, onlyConversion(click).history().size());
      assertEquals(retried.decision(), logged(p));
    }

    @Test
    void aPostbackLeftForRetry_isAnExplicitRetry_inTheBatchsAttempts() {
      String click = clickAndWait("c1");
      Postback p = core.postback("click_id", click, "event", "sale", "txid", "T-1");
      core.deliveryQueue.goDown();

      Map<String, AttributionService.Attempt> attempts = quietly(() -> core.attribution.attributeBatch(List.of(p)));

      assertEquals(Set.of(p.postbackId()), attempts.keySet(), "every postback of the batch has its attempt");
      assertInstanceOf(AttributionService.Attempt.Retry.class, attempts.get(p.postbackId()));
      core.deliveryQueue.comeBack();
      AttributionService.Attempt retried = core.attribution.attributeBatch(List.of(p)).get(p.postbackId());
      assertEquals(Outcome.ATTRIBUTED,
          assertInstanceOf(AttributionService.Attempt.Finished.class, retried).result().decision().outcome());
    }

    @Test
    void statusChange_isLeftForRetry_andTheRetryQueuesTheDelivery() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      Postback approve = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved");
      core.deliveryQueue.goDown();

      assertNull(quietly(() -> core.attribute(approve)), "not finished: its message is retried");
      core.deliveryQueue.comeBack();
      Result retried = core.attribute(approve);

      assertEquals(new Decision(Outcome.STATUS_UPDATED, null, click + "/sale"), retried.decision());
      assertEquals(List.of(toAffiliate(click, "sale", APPROVED)), retried.queued());
      assertEquals(2, onlyConversion(click).history().size(), "applied once");
    }
  }

  @Nested
  class Batches {

    @Test
    void aBatch_readsItsClicksInOneRoundTrip_andDecidesEveryPostback() {
      String a = clickAndWait("c1");
      String b = clickAndWait("c2");
      String neverStored = core.clickIds.issue(core.clock.instant());
      List<Postback> batch = List.of(
          core.postback("click_id", a, "event", "sale", "txid", "T-1"),
          core.postback("click_id", b, "event", "sale"),
          core.postback("click_id", a, "event", "sale", "txid", "T-1"),
          core.postback("campaign_id", "c2", "click_id", neverStored),
          core.postback("campaign_id", "rep", "customer_id", "nobody"));
      int findAllsBefore = core.clicks.findAllCalls();
      int findsBefore = core.clicks.findCalls();

      Map<String, Result> results = core.attribution.attributeAll(batch);

      assertEquals(1, core.clicks.findAllCalls() - findAllsBefore);
      assertEquals(0, core.clicks.findCalls() - findsBefore);
      assertEquals(batch.stream().map(Postback::postbackId).collect(java.util.stream.Collectors.toSet()), results.keySet());
      assertEquals(List.of(Outcome.ATTRIBUTED, Outcome.ATTRIBUTED, Outcome.DUPLICATE, Outcome.REJECTED, Outcome.REJECTED),
          batch.stream().map(p -> results.get(p.postbackId()).decision().outcome()).toList());
      for (Postback p : batch) {
        assertEquals(results.get(p.postbackId()).decision(), logged(p), "every decision is recorded");
      }
    }

    @Test
    void aPostbackWhoseProcessingFails_isLeftOutOfTheResult_soItsMessageIsRetried() {
      ConversionStore broken = new ConversionStore() {
        @Override
        public Optional<Conversion> createIfAbsent(String key, Conversion conversion) {
          throw new IllegalStateException("store down (test)");
        }

        @Override
        public boolean transition(String clickId, String key, StatusChange change) {
          throw new IllegalStateException("store down (test)");
        }

        @Override
        public boolean claim(String clickId, String key, String target, ConversionStatus status, Instant until,
            Instant now) {
          throw new IllegalStateException("store down (test)");
        }

        @Override
        public void recordDelivery(String clickId, String key, DeliveryAttempt attempt) {
          throw new IllegalStateException("store down (test)");
        }

        @Override
        public Optional<Conversion> find(String clickId, String key) {
          throw new IllegalStateException("store down (test)");
        }

        @Override
        public List<Conversion> findByClick(String clickId) {
          return List.of(); // reads still work: only this click's write path is broken
        }

        @Override
        public Page<Conversion> list(ConversionQuery query) {
          return core.conversions.list(query);
        }
      };
      AttributionService attribution = new AttributionService(core.clicks, core.campaigns, broken, core.customers,
          core.log, core.deliveryQueue, RateTable.parse(CoreFixture.RATES), core.clock);
      String click = clickAndWait("c1");
      Postback failing = core.postback("click_id", click, "event", "sale");
      Postback unknown = core.postback("campaign_id", "c1", "click_id", core.clickIds.issue(core.clock.instant()));

      Map<String, Result> results = quietly(() -> attribution.attributeAll(List.of(failing, unknown)));

      assertFalse(results.containsKey(failing.postbackId()));
      assertEquals(Reason.UNKNOWN_CLICK, results.get(unknown.postbackId()).decision().reason(), "the others go on");
      assertTrue(core.log.find(failing.postbackId()).isEmpty(), "nothing recorded for the failed one");
    }
  }
}
