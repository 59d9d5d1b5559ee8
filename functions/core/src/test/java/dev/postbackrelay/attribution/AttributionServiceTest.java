package dev.postbackrelay.attribution;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.Reason;
import dev.postbackrelay.attribution.AttributionService.Result;
import dev.postbackrelay.attribution.Decision.Outcome;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.postback.Postback;
import dev.postbackrelay.testing.CoreFixture;
import dev.postbackrelay.testing.ScriptedPostbackSender;
import dev.postbackrelay.testing.ScriptedPostbackSender.Call;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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

  private void assertRejected(Reason reason, Postback p) {
    Result r = core.attribute(p);
    assertEquals(Decision.rejected(reason).outcome(), r.decision().outcome());
    assertEquals(reason, r.decision().reason());
    assertTrue(r.delivered(), "a rejection owes no delivery");
    assertEquals(r.decision(), logged(p), "the rejection is recorded");
    assertEquals(List.of(), core.sender.calls(), "nothing forwarded");
  }

  @Test
  void matchingPostback_isAttributed_recorded_andForwarded() {
    String click = clickAndWait("c1");
    Postback p = core.postback("click_id", click, "event", "sale", "txid", "T-1", "amount", "100", "currency", "USD");

    Result r = core.attribute(p);

    assertEquals(new Decision(Outcome.ATTRIBUTED, null, click + "/sale"), r.decision());
    assertTrue(r.delivered());
    assertEquals(r.decision(), logged(p));
    Conversion c = onlyConversion(click);
    assertEquals("c1", c.campaignId());
    assertEquals("a1", c.affiliateId());
    assertEquals(ConversionStatus.APPROVED, c.status(), "a postback without status confirms the conversion");
    assertEquals("T-1", c.txid());
    assertEquals(p.postbackId(), c.postbackId());
    assertEquals(List.of(new StatusChange(null, ConversionStatus.APPROVED, p.receivedAt(), p.postbackId())), c.history());
    List<Call> calls = core.sender.calls();
    assertEquals(1, calls.size());
    assertEquals("https://partner.example/pb?cid=" + click + "&e=sale&s=approved&p=7.50&a=100&c=USD&tx=T-1"
        + "&s1=s%201&ext=T-1&aff=a1", calls.get(0).url().toString());
    assertEquals("GET", calls.get(0).method());
    assertEquals(CoreFixture.PARTNER_ADDRESS, calls.get(0).address().getHostAddress());
    DeliveryAttempt attempt = core.conversions.findByClick(click).get(0).deliveries().get(0);
    assertEquals("affiliate:a1", attempt.target());
    assertEquals(200, attempt.httpStatus());
    assertTrue(attempt.ok());
  }

  @Test
  void duplicatePostback_isCountedOnce_acrossThreeSends() {
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
    assertEquals(1, core.conversions.findByClick(click).size());
    assertEquals(1, core.sender.calls().size());
    assertEquals(sends.stream().map(Postback::postbackId).toList(),
        core.log.findByClick(click).stream().map(r -> r.postback().postbackId()).toList(), "all three are in the log");
  }

  @Test
  void redeliveryOfTheSameMessage_forwardsOnlyTheMissingDelivery_andNeverTwice() {
    String click = clickAndWait("c1");
    core.sender.thenRespond(ScriptedPostbackSender.status(503));
    Postback p = core.postback("click_id", click, "event", "sale", "txid", "T-1");

    Result first = core.attribute(p);
    Result second = core.attribute(p);
    Result third = core.attribute(p);

    assertFalse(first.delivered(), "the partner failed: the message must be retried");
    assertTrue(second.delivered());
    assertTrue(third.delivered());
    assertEquals(Outcome.ATTRIBUTED, second.decision().outcome());
    assertEquals(Outcome.ATTRIBUTED, third.decision().outcome());
    List<Call> calls = core.sender.calls();
    assertEquals(2, calls.size(), "one failed attempt, one successful, none after");
    assertEquals(calls.get(0).idempotencyKey(), calls.get(1).idempotencyKey(), "a retry carries the same key");
    Conversion c = onlyConversion(click);
    assertEquals(List.of(503, 200), c.deliveries().stream().map(DeliveryAttempt::httpStatus).toList());
    assertEquals(1, c.history().size(), "re-delivery changes nothing else");
    assertEquals(1, core.log.findByClick(click).size(), "one log entry per postback");
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
      assertEquals(2, core.sender.calls().size());
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
      assertEquals(1, core.sender.calls().size());
    }

    @Test
    void anotherEventOnTheSameClick_isAnotherConversion() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "registration"));
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1"));
      assertEquals(2, core.conversions.findByClick(click).size());
    }
  }

  @Nested
  class Statuses {

    @Test
    void pendingThenApprovedThenChargeback_isAccepted_withHistory_andEachChangeForwarded() {
      String click = clickAndWait("c1");
      Postback pending = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "lead");
      core.clock.advance(Duration.ofDays(2));
      Postback approved = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved");
      core.clock.advance(Duration.ofDays(20));
      Postback chargeback = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "chargeback");

      assertEquals(Outcome.ATTRIBUTED, core.attribute(pending).decision().outcome());
      assertEquals(new Decision(Outcome.STATUS_UPDATED, null, click + "/sale"), core.attribute(approved).decision());
      assertEquals(new Decision(Outcome.STATUS_UPDATED, null, click + "/sale"), core.attribute(chargeback).decision());

      Conversion c = onlyConversion(click);
      assertEquals(ConversionStatus.CHARGEBACK, c.status());
      assertEquals(List.of(
          new StatusChange(null, ConversionStatus.PENDING, pending.receivedAt(), pending.postbackId()),
          new StatusChange(ConversionStatus.PENDING, ConversionStatus.APPROVED, approved.receivedAt(), approved.postbackId()),
          new StatusChange(ConversionStatus.APPROVED, ConversionStatus.CHARGEBACK, chargeback.receivedAt(), chargeback.postbackId())),
          c.history());
      List<Call> calls = core.sender.calls();
      assertEquals(List.of("s=pending", "s=approved", "s=chargeback"),
          calls.stream().map(call -> call.url().getQuery().split("&")[2]).toList());
      assertEquals(3, Set.copyOf(calls.stream().map(Call::idempotencyKey).toList()).size(),
          "each status announced carries its own Idempotency-Key");
      assertEquals(List.of(Outcome.ATTRIBUTED, Outcome.STATUS_UPDATED, Outcome.STATUS_UPDATED),
          core.log.findByClick(click).stream().map(r -> r.decision().outcome()).toList());
    }

    @Test
    void approvedBackToPending_isRefused_andChangesNothing() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));
      Postback backwards = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending");

      Result r = core.attribute(backwards);

      assertEquals(new Decision(Outcome.REJECTED, Reason.INVALID_STATUS_TRANSITION, click + "/sale"), r.decision());
      assertEquals(r.decision(), logged(backwards));
      assertEquals(ConversionStatus.APPROVED, onlyConversion(click).status());
      assertEquals(1, onlyConversion(click).history().size());
      assertEquals(1, core.sender.calls().size());
    }

    @Test
    void rejectedIsFinal() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "rejected"));
      Result r = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));
      assertEquals(Reason.INVALID_STATUS_TRANSITION, r.decision().reason());
    }

    @Test
    void sameStatusAgain_isADuplicate() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      Result r = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "hold"));
      assertEquals(new Decision(Outcome.DUPLICATE, Reason.DUPLICATE, click + "/sale"), r.decision());
    }

    @Test
    void statusChangeAfterTheWindow_isStillAccepted() {
      String click = clickAndWait("c2");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      core.clock.advance(Duration.ofDays(60));
      Result r = core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved"));
      assertEquals(Outcome.STATUS_UPDATED, r.decision().outcome());
    }

    @Test
    void redeliveredStatusChange_isNotAppliedOrForwardedTwice() {
      String click = clickAndWait("c1");
      core.attribute(core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "pending"));
      Postback approve = core.postback("click_id", click, "event", "sale", "txid", "T-1", "status", "approved");

      assertEquals(Outcome.STATUS_UPDATED, core.attribute(approve).decision().outcome());
      Result again = core.attribute(approve);

      assertEquals(Outcome.STATUS_UPDATED, again.decision().outcome());
      assertTrue(again.delivered());
      assertEquals(2, onlyConversion(click).history().size());
      assertEquals(2, core.sender.calls().size());
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
    void explicitPayout_overridesTheRule() {
      assertMoney("3", convert("c1", "event", "sale", "amount", "100", "payout", "3").payout());
      assertMoney("3", convert("rep", "event", "sale", "amount", "100", "commission", "3").payout());
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
      core.campaigns.put(campaign("eur").currency("EUR").affiliate("a1", PARTNER_URL).build());
      Conversion c = convert("eur", "event", "sale", "payout", "10", "currency", "GBP");
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
      assertEquals(List.of(), core.sender.calls());
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
          core.log, core.forwarding, RateTable.parse(CoreFixture.RATES), core.clock);
      String click = clickAndWait("rep");
      Postback first = core.postback("click_id", click, "event", "sale", "txid", "T-1", "customer_id", "cu-5", "new_customer", "1");

      assertNull(quietly(() -> attribution.attributeAll(List.of(first))).get(first.postbackId()), "failed: will be retried");
      assertEquals(Outcome.ATTRIBUTED, attribution.attributeAll(List.of(first)).get(first.postbackId()).decision().outcome());

      assertEquals(Optional.of(click), core.customers.boundClick("rep", "cu-5"));
    }
  }

  @Nested
  class Forwarding {

    @Test
    void failingPartner_leavesTheResultUndelivered_withTheAttemptLogged() {
      String click = clickAndWait("c1");
      core.sender.byDefault(ScriptedPostbackSender.timeout());
      Result r = core.attribute(core.postback("click_id", click, "event", "sale"));
      assertEquals(Outcome.ATTRIBUTED, r.decision().outcome(), "attribution stands; only the delivery is owed");
      assertFalse(r.delivered());
      DeliveryAttempt attempt = onlyConversion(click).deliveries().get(0);
      assertEquals(0, attempt.httpStatus());
      assertEquals("read timed out", attempt.error());
      assertFalse(attempt.ok());
    }

    @Test
    void non2xxAnswer_isAFailure() {
      String click = clickAndWait("c1");
      core.sender.thenRespond(ScriptedPostbackSender.status(302));
      assertFalse(core.attribute(core.postback("click_id", click, "event", "sale")).delivered());
    }

    @Test
    void forbiddenDestination_isRecordedWithTheReason_andNeverCalled() {
      core.campaigns.put(campaign("ssrf").affiliate("a1", "http://169.254.169.254/latest/meta-data/?c={click_id}").build());
      String click = clickAndWait("ssrf");
      Result r = core.attribute(core.postback("click_id", click));
      assertFalse(r.delivered());
      assertEquals(List.of(), core.sender.calls());
      DeliveryAttempt attempt = onlyConversion(click).deliveries().get(0);
      assertEquals(0, attempt.httpStatus());
      assertTrue(attempt.error().startsWith("forbidden_destination"), attempt.error());
    }

    @Test
    void hostResolvingToAPrivateAddress_isAForbiddenDestination() {
      core.dns.put("rebind.example", List.of(CoreFixture.PARTNER_ADDRESS, "10.1.2.3"));
      core.campaigns.put(campaign("rebind").affiliate("a1", "https://rebind.example/pb?c={click_id}").build());
      String click = clickAndWait("rebind");
      core.attribute(core.postback("click_id", click));
      assertEquals(List.of(), core.sender.calls());
      assertTrue(onlyConversion(click).deliveries().get(0).error().startsWith("forbidden_destination"));
    }

    @Test
    void affiliateFilters_decideWhichConversionsFire() {
      core.campaigns.put(campaign("filtered").affiliate("a1", new Affiliate(PARTNER_URL, "POST", Set.of("sale"),
          Set.of(ConversionStatus.APPROVED))).build());
      String click = clickAndWait("filtered");
      assertTrue(core.attribute(core.postback("click_id", click, "event", "registration")).delivered());
      assertTrue(core.attribute(core.postback("click_id", click, "event", "sale", "status", "pending")).delivered());
      assertEquals(List.of(), core.sender.calls(), "neither fires");
      core.attribute(core.postback("click_id", click, "event", "sale", "status", "approved"));
      assertEquals(1, core.sender.calls().size());
      assertEquals("POST", core.sender.calls().get(0).method());
    }

    @Test
    void affiliateWithoutPostbackUrl_owesNothing() {
      core.campaigns.put(campaign("silent").affiliate("a1", (String) null).build());
      String click = clickAndWait("silent");
      assertTrue(core.attribute(core.postback("click_id", click)).delivered());
      assertEquals(List.of(), core.sender.calls());
    }

    @Test
    void partnersOwnPlaceholder_isKept_andTheUrlStillDelivered() {
      core.campaigns.put(campaign("own").affiliate("a1", "https://partner.example/pb?cid={click_id}&mine={aff_sub2}").build());
      String click = clickAndWait("own");
      Result r = core.attribute(core.postback("click_id", click));
      assertTrue(r.delivered(), String.valueOf(onlyConversion(click).deliveries()));
      assertEquals(1, core.sender.calls().size());
      assertTrue(core.sender.calls().get(0).url().toString().contains("mine=%7Baff_sub2%7D"));
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
        public void recordDelivery(String clickId, String key, DeliveryAttempt attempt) {
          throw new IllegalStateException("store down (test)");
        }

        @Override
        public Optional<Conversion> find(String clickId, String key) {
          throw new IllegalStateException("store down (test)");
        }

        @Override
        public List<Conversion> findByClick(String clickId) {
          throw new IllegalStateException("store down (test)");
        }
      };
      AttributionService attribution = new AttributionService(core.clicks, core.campaigns, broken, core.customers,
          core.log, core.forwarding, RateTable.parse(CoreFixture.RATES), core.clock);
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
