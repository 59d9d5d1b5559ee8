package dev.postbackrelay.postback;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.QueueUnavailableException;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.testing.CoreFixture;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostbackServiceTest {

  private static final String TOKEN = "tok-c1-secret";
  private static final String SIGNING_SECRET = "sign-secret-0123456789";

  private final CoreFixture core = new CoreFixture()
      .with(campaign("c1").token(TOKEN).affiliate("a1", "https://partner.example/pb?cid={click_id}").build())
      .with(campaign("ev").token("tok-ev-secret").transactionIdMeans(Campaign.TransactionIdMeans.CLICK_ID)
          .affiliate("a1", (String) null).build())
      .with(campaign("open").affiliate("a1", (String) null).status("done", ConversionStatus.APPROVED).build())
      .with(campaign("ip").ipAllowlist("203.0.113.0/24", "2001:db8::/32").affiliate("a1", (String) null).build())
      .with(campaign("signed").signingSecret(SIGNING_SECRET).affiliate("a1", (String) null).build());

  private final String clickId = core.click("c1", "a1");

  private Postback accept(String... params) {
    return core.postback(params);
  }

  /** A valid postback for c1 with {@code more} added (later names do not override earlier ones). */
  private Postback acceptC1(String... more) {
    String[] all = new String[more.length + 6];
    System.arraycopy(more, 0, all, 0, more.length);
    System.arraycopy(new String[] {"campaign_id", "c1", "click_id", clickId, "token", TOKEN}, 0, all, more.length, 6);
    return accept(all);
  }

  private RejectedException assertRejected(Reason reason, String... params) {
    return assertRejected(reason, CoreFixture.get(params));
  }

  private RejectedException assertRejected(Reason reason, InboundPostback in) {
    RejectedException e = assertThrows(RejectedException.class, () -> core.postbackService.accept(in));
    assertEquals(reason, e.reason(), e.getMessage());
    assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a sentence for the sender");
    assertEquals(List.of(), core.queue.sent(), "nothing queued on a rejection");
    return e;
  }

  @Test
  void validPostback_isQueued_andReturned() {
    core.clock.advance(Duration.ofMinutes(5));
    Postback p = acceptC1("event", "deposit", "amount", "50.00", "currency", "EUR", "txid", "T-1", "status", "sale");

    assertEquals(List.of(p), core.queue.sent());
    assertEquals(26, p.postbackId().length());
    assertEquals(core.clock.instant(), p.receivedAt());
    assertEquals("198.51.100.20", p.sourceIp());
    assertEquals(clickId, p.clickId());
    assertEquals("c1", p.campaignId());
    assertEquals("deposit", p.event());
    assertEquals("T-1", p.txid());
    assertEquals(0, new BigDecimal("50").compareTo(p.amount()));
    assertEquals("EUR", p.currency());
    assertEquals(ConversionStatus.APPROVED, p.status());
    assertEquals("sale", p.statusWord());
    assertNull(p.payout());
    assertNull(p.conversionRate());
    assertNull(p.customerId());
    assertFalse(p.newCustomer());
  }

  @Test
  void minimalPostback_defaultsEventToConversion_andTxidToEmpty_andStatusToNone() {
    Postback p = acceptC1();
    assertEquals("conversion", p.event());
    assertEquals("", p.txid());
    assertNull(p.status());
    assertNull(p.statusWord());
  }

  @Test
  void postbackIds_followTheClock() {
    Postback first = acceptC1();
    core.clock.advance(Duration.ofMillis(1));
    Postback second = acceptC1();
    assertTrue(first.postbackId().compareTo(second.postbackId()) < 0);
  }

  @Nested
  class Aliases {

    @ParameterizedTest
    @ValueSource(strings = {"click_id", "clickid", "cid", "subid", "sub_id", "cnv_id"})
    void clickIdAlias(String name) {
      assertEquals(clickId, accept("campaign_id", "c1", "token", TOKEN, name, clickId).clickId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"event", "goal", "type", "et"})
    void eventAlias(String name) {
      assertEquals("deposit", acceptC1(name, "Deposit").event());
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "cnv_status", "conv_status"})
    void statusAlias(String name) {
      Postback p = acceptC1(name, "declined");
      assertEquals(ConversionStatus.REJECTED, p.status());
      assertEquals("declined", p.statusWord());
    }

    @ParameterizedTest
    @ValueSource(strings = {"amount", "sum", "sale_amount"})
    void amountAlias(String name) {
      assertEquals(0, new BigDecimal("12.5").compareTo(acceptC1(name, "12.50").amount()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"payout", "commission", "revenue"})
    void payoutAlias(String name) {
      assertEquals(0, new BigDecimal("3").compareTo(acceptC1(name, "3.00").payout()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"currency", "cnv_currency"})
    void currencyAlias(String name) {
      assertEquals("EUR", acceptC1(name, "eur").currency());
    }

    @ParameterizedTest
    @ValueSource(strings = {"txid", "tid", "order_id", "action_id", "transaction_id"})
    void txidAlias(String name) {
      assertEquals("ORD-1", acceptC1(name, "ORD-1").txid());
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "secret", "key", "security_token"})
    void tokenAlias(String name) {
      assertEquals("c1", accept("campaign_id", "c1", "click_id", clickId, name, TOKEN).campaignId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"affiliate_id", "ref_id"})
    void affiliateAlias(String name) {
      assertEquals("a1", acceptC1(name, "a1").affiliateId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1", "yes", "y", "TRUE", "Yes"})
    void newCustomer_true(String value) {
      Postback p = acceptC1("customer_id", "cu-1", "new_customer", value);
      assertEquals("cu-1", p.customerId());
      assertTrue(p.newCustomer());
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "0", "no", "n", "maybe"})
    void newCustomer_false(String value) {
      assertFalse(acceptC1("customer_id", "cu-1", "new_customer", value).newCustomer());
    }

    @Test
    void conversionRate_isRead() {
      assertEquals(0, new BigDecimal("1.087").compareTo(acceptC1("conversion_rate", "1.087").conversionRate()));
    }

    @Test
    void canonicalName_winsOverItsAliases() {
      Postback p = acceptC1("goal", "lead", "event", "sale", "sum", "1", "amount", "2");
      assertEquals("sale", p.event());
      assertEquals(0, BigDecimal.valueOf(2).compareTo(p.amount()));
    }
  }

  @Test
  void parameterNames_areCaseInsensitive() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("Campaign_ID", "c1");
    params.put("CLICKID", clickId);
    params.put("Token", TOKEN);
    params.put("EVENT", "Sale");
    params.put("Amount", "9.99");
    params.put("CNV_Currency", "usd");
    params.put("TxId", "T-9");
    params.put("Sub1", "kept");
    Postback p = core.postbackService.accept(
        new InboundPostback(Params.of(params), "POST", "/postback", "198.51.100.20"));
    assertEquals(clickId, p.clickId());
    assertEquals("sale", p.event());
    assertEquals("USD", p.currency());
    assertEquals("T-9", p.txid());
    assertEquals(Map.of("sub1", "kept"), p.extra());
  }

  @Nested
  class TransactionId {

    @Test
    void meansTheClickId_whereTheCampaignSaysSo() {
      String evClick = core.click("ev", "a1");
      Postback p = accept("campaign_id", "ev", "token", "tok-ev-secret", "transaction_id", evClick, "txid", "ORD-7");
      assertEquals(evClick, p.clickId());
      assertEquals("ORD-7", p.txid());
    }

    @Test
    void meansTheOrderId_whereTheCampaignSaysSo() {
      Postback p = acceptC1("transaction_id", "ORD-8");
      assertEquals(clickId, p.clickId());
      assertEquals("ORD-8", p.txid());
    }

    @Test
    void onAnOrderIdCampaign_isNeverTheClickId() {
      assertRejected(Reason.MISSING_CLICK_ID, "campaign_id", "c1", "token", TOKEN, "transaction_id", clickId);
    }

    @Test
    void withoutCampaign_isTheClickId_whenItVerifies() {
      Postback p = accept("transaction_id", clickId, "token", TOKEN);
      assertEquals(clickId, p.clickId());
      assertEquals("c1", p.campaignId(), "the campaign comes from the click");
      assertEquals("", p.txid(), "it is not also the order id");
    }

    @Test
    void withoutCampaign_isNotTheClickId_whenItDoesNotVerify() {
      assertRejected(Reason.MISSING_CLICK_ID, "transaction_id", "ORD-9", "token", TOKEN);
    }
  }

  @Test
  void missingClickId_isRefused() {
    assertRejected(Reason.MISSING_CLICK_ID, "campaign_id", "c1", "token", TOKEN, "event", "sale");
    assertRejected(Reason.MISSING_CLICK_ID, "campaign_id", "c1", "token", TOKEN, "click_id", "   ");
    assertRejected(Reason.MISSING_CLICK_ID);
  }

  @Test
  void customerIdWithoutClickId_needsTheCampaign() {
    RejectedException e = assertRejected(Reason.MISSING_CLICK_ID, "customer_id", "cu-1", "token", TOKEN);
    assertTrue(e.getMessage().contains("campaign_id"), e.getMessage());
  }

  @Test
  void customerIdWithCampaign_andNoClickId_isAccepted_forLifetimeAttribution() {
    Postback p = accept("campaign_id", "c1", "token", TOKEN, "customer_id", "cu-1", "event", "rebill", "txid", "R-2");
    assertNull(p.clickId());
    assertEquals("cu-1", p.customerId());
  }

  @Test
  void malformedClickId_isRefused() {
    String foreign = new ClickIds(List.of("some-other-tracker-key-0123".getBytes(StandardCharsets.UTF_8)))
        .issue(core.clock.instant());
    String mangled = clickId.substring(0, 31) + (clickId.charAt(31) == '0' ? '1' : '0');
    for (String bad : List.of("abc", clickId.substring(0, 31), clickId + "0", mangled, foreign, clickId.toUpperCase(),
        "AZOv6tq1CJ7f0bX2kQ9mL4wE8sR3")) {
      assertRejected(Reason.MALFORMED_CLICK_ID, "campaign_id", "c1", "token", TOKEN, "click_id", bad);
    }
  }

  @Test
  void malformedClickId_isRefused_withoutReadingTheClickStore() {
    int before = core.clicks.findCalls();
    assertRejected(Reason.MALFORMED_CLICK_ID, "click_id", "forged-forged-forged-forged-1234");
    assertEquals(before, core.clicks.findCalls());
  }

  @Test
  void unknownClick_withoutCampaign_isRefusedAtTheEdge() {
    String neverStored = core.clickIds.issue(core.clock.instant());
    assertRejected(Reason.UNKNOWN_CLICK, "click_id", neverStored, "token", TOKEN);
  }

  @Test
  void clickIdWithoutCampaign_authenticatesAgainstTheClicksCampaign() {
    assertEquals("c1", accept("click_id", clickId, "token", TOKEN).campaignId());
    core.queue.drain();
    assertRejected(Reason.BAD_TOKEN, "click_id", clickId, "token", "tok-ev-secret");
  }

  @Test
  void anArchivedCampaign_refusesPostbacks_namedOrThroughItsClick_butAPausedOneTakesThem() {
    core.campaigns.put(core.campaigns.find("c1").orElseThrow().toBuilder().status(Campaign.Status.PAUSED).build());
    acceptC1();
    core.campaigns.put(core.campaigns.find("c1").orElseThrow().toBuilder().status(Campaign.Status.ARCHIVED).build());
    core.queue.drain();
    assertRejected(Reason.CAMPAIGN_ARCHIVED, "campaign_id", "c1", "click_id", clickId, "token", TOKEN);
    assertRejected(Reason.CAMPAIGN_ARCHIVED, "click_id", clickId, "token", TOKEN);
  }

  @Test
  void unknownCampaign_isRefused() {
    assertRejected(Reason.UNKNOWN_CAMPAIGN, "campaign_id", "nope", "click_id", clickId, "token", TOKEN);
  }

  @Nested
  class UnsubstitutedMacros {

    @ParameterizedTest
    @ValueSource(strings = {"{clickid}", "%7Bclickid%7D", "{{clickid}}", "[CLICK_ID]", "#s2#", "${SUBID}", "%%CLICKID%%"})
    void inTheClickId_isRefused_namingTheParameterAndTheLiteral(String macro) {
      RejectedException e = assertRejected(Reason.UNSUBSTITUTED_MACRO, "campaign_id", "c1", "token", TOKEN, "clickid", macro);
      assertEquals("clickid", e.parameter());
      assertEquals(macro, e.value());
      assertTrue(e.getMessage().contains("clickid") && e.getMessage().contains(macro), e.getMessage());
    }

    @Test
    void inAnyOtherParameter_isRefused() {
      RejectedException e = assertRejected(Reason.UNSUBSTITUTED_MACRO, "campaign_id", "c1", "token", TOKEN,
          "click_id", clickId, "amount", "{sale_amount}");
      assertEquals("amount", e.parameter());
      assertEquals("{sale_amount}", e.value());
    }

    @Test
    void isReportedBeforeAnyOtherProblem() {
      assertRejected(Reason.UNSUBSTITUTED_MACRO, "click_id", "{clickid}");
    }
  }

  @Nested
  class Authentication {

    @ParameterizedTest
    @ValueSource(strings = {"", "wrong", "tok-c1-secre", "tok-c1-secretX", "TOK-C1-SECRET"})
    void wrongOrMissingToken_isRefused(String token) {
      assertRejected(Reason.BAD_TOKEN, "campaign_id", "c1", "click_id", clickId, "token", token);
    }

    @Test
    void noTokenParameter_isRefused() {
      assertRejected(Reason.BAD_TOKEN, "campaign_id", "c1", "click_id", clickId);
    }

    @Test
    void campaignWithoutToken_needsNone() {
      String openClick = core.click("open", "a1");
      assertEquals("open", accept("campaign_id", "open", "click_id", openClick).campaignId());
    }

    @Test
    void allowlistedAddresses_areAccepted() {
      String ipClick = core.click("ip", "a1");
      for (String ip : List.of("203.0.113.9", "2001:db8:1::5")) {
        Postback p = core.postbackService.accept(new InboundPostback(
            Params.of(Map.of("campaign_id", "ip", "click_id", ipClick)), "GET", "/postback", ip));
        assertEquals(ip, p.sourceIp());
      }
    }

    @Test
    void otherAddresses_areRefused() {
      String ipClick = core.click("ip", "a1");
      for (String ip : new String[] {"198.51.100.20", "2001:db9::1", "", "garbage", null}) {
        assertRejected(Reason.IP_NOT_ALLOWED, new InboundPostback(
            Params.of(Map.of("campaign_id", "ip", "click_id", ipClick)), "GET", "/postback", ip));
      }
    }

    private InboundPostback signedPostback(long ts, String... extra) {
      String signedClick = core.click("signed", "a1");
      Map<String, String> params = new LinkedHashMap<>(CoreFixture.pairs(extra));
      params.put("campaign_id", "signed");
      params.put("click_id", signedClick);
      params.put("amount", "10");
      params.put("ts", Long.toString(ts));
      params.put("sig", PostbackSignature.sign(SIGNING_SECRET,
          PostbackSignature.stringToSign("GET", Params.of(params).pairs())));
      return new InboundPostback(Params.of(params), "GET", "/postback", "198.51.100.20");
    }

    @Test
    void validSignature_isAccepted() {
      assertEquals("signed", core.postbackService.accept(signedPostback(core.clock.instant().getEpochSecond())).campaignId());
    }

    @Test
    void missingSignature_isRefused() {
      assertRejected(Reason.BAD_SIGNATURE, "campaign_id", "signed", "click_id", core.click("signed", "a1"));
    }

    @Test
    void staleSignature_isRefused() {
      assertRejected(Reason.BAD_SIGNATURE, signedPostback(core.clock.instant().getEpochSecond() - 301));
    }

    @Test
    void tamperedSignedPostback_isRefused() {
      InboundPostback signed = signedPostback(core.clock.instant().getEpochSecond());
      Map<String, String> tampered = new LinkedHashMap<>(signed.params().asMap());
      tampered.put("amount", "1000");
      assertRejected(Reason.BAD_SIGNATURE, new InboundPostback(Params.of(tampered), "GET", "/postback", "198.51.100.20"));
    }

    @Test
    void signedPostback_replayedInsideTheWindow_isRefusedWithItsOwnReason() {
      InboundPostback signed = signedPostback(core.clock.instant().getEpochSecond());
      core.postbackService.accept(signed);
      core.queue.drain();
      core.clock.advance(java.time.Duration.ofSeconds(30));

      RejectedException replay = assertThrows(RejectedException.class, () -> core.postbackService.accept(signed));
      assertEquals("replayed_signature", replay.reason().code(), replay.getMessage());
      assertEquals(409, replay.reason().httpStatus());
      assertEquals(List.of(), core.queue.sent(), "a replay is never queued");

      Map<String, String> upper = new LinkedHashMap<>(signed.params().asMap());
      upper.put("sig", upper.get("sig").toUpperCase(java.util.Locale.ROOT));
      RejectedException upperCase = assertThrows(RejectedException.class,
          () -> core.postbackService.accept(new InboundPostback(Params.of(upper), "GET", "/postback", "198.51.100.20")));
      assertEquals("replayed_signature", upperCase.reason().code(), "the same signature in upper case is the same replay");
    }

    @Test
    void signedPostback_withARepeatedName_isRefusedEvenWhenTheSignatureMatches() {
      long now = core.clock.instant().getEpochSecond();
      String signedClick = core.click("signed", "a1");
      List<Map.Entry<String, String>> pairs = new java.util.ArrayList<>(List.of(Map.entry("campaign_id", "signed"),
          Map.entry("click_id", signedClick), Map.entry("ts", Long.toString(now)),
          Map.entry("payout", "1"), Map.entry("PAYOUT", "1000")));
      String sig = PostbackSignature.sign(SIGNING_SECRET, PostbackSignature.stringToSign("GET", pairs));
      pairs.add(Map.entry("sig", sig));
      // the sorted string to sign is the same in either order, the first-wins meaning is not
      RejectedException e = assertRejected(Reason.INVALID_PARAMETER,
          new InboundPostback(Params.of(pairs), "GET", "/postback", "198.51.100.20"));
      assertTrue(e.getMessage().contains("payout") && e.getMessage().contains("signed"), e.getMessage());
    }

    @Test
    void onlySignedPostbacks_writeAReplayRecord() {
      acceptC1();
      assertEquals(0, core.replays.writes(), "an unsigned postback costs no replay write");
      core.postbackService.accept(signedPostback(core.clock.instant().getEpochSecond()));
      assertEquals(1, core.replays.writes());
    }

    @Test
    void aNameThatOnlyUnicodeFoldsToSig_isSignedLikeAnyOtherParameter() {
      InboundPostback signed = signedPostback(core.clock.instant().getEpochSecond());
      List<Map.Entry<String, String>> added = new java.util.ArrayList<>(signed.params().pairs());
      added.add(Map.entry("\u017Fig", "added-after-signing")); // LATIN SMALL LETTER LONG S: equalsIgnoreCase("sig")
      assertRejected(Reason.BAD_SIGNATURE, new InboundPostback(Params.of(added), "GET", "/postback", "198.51.100.20"));
    }

    @Test
    void signedPostback_whoseEnqueueFailed_canBeSentAgain() {
      InboundPostback signed = signedPostback(core.clock.instant().getEpochSecond());
      core.queue.goDown();
      assertThrows(dev.postbackrelay.common.QueueUnavailableException.class, () -> core.postbackService.accept(signed));
      core.queue.comeBack();

      assertEquals("signed", core.postbackService.accept(signed).campaignId(), "the sender's retry is accepted");
      assertEquals(1, core.queue.sent().size());
    }

    @Test
    void badSignature_replySaysWhichCheckFailed() {
      long now = core.clock.instant().getEpochSecond();
      String missing = assertRejected(Reason.BAD_SIGNATURE, "campaign_id", "signed", "click_id", core.click("signed", "a1"))
          .getMessage();
      String stale = assertRejected(Reason.BAD_SIGNATURE, signedPostback(now - 400)).getMessage();
      InboundPostback signed = signedPostback(now);
      Map<String, String> tampered = new LinkedHashMap<>(signed.params().asMap());
      tampered.put("amount", "1000");
      String mismatch = assertRejected(Reason.BAD_SIGNATURE,
          new InboundPostback(Params.of(tampered), "GET", "/postback", "198.51.100.20")).getMessage();
      assertEquals(3, new java.util.HashSet<>(List.of(missing, stale, mismatch)).size(), "three different sentences");
      assertTrue(stale.contains("400"), "the stale reply gives the difference: " + stale);
    }
  }

  @Nested
  class Values {

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1e20", "0.123456789", "NaN", "Infinity", "12.5.1", "1 000", "0x10",
        "1234567890123456", "$10"})
    void invalidAmount_isRefused_namingTheParameter(String value) {
      RejectedException e = assertRejected(Reason.INVALID_AMOUNT, "campaign_id", "c1", "token", TOKEN,
          "click_id", clickId, "sum", value);
      assertEquals("sum", e.parameter());
      assertTrue(e.getMessage().contains("sum"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"payout", "commission", "conversion_rate"})
    void invalidPayoutOrRate_isRefused(String name) {
      assertRejected(Reason.INVALID_AMOUNT, "campaign_id", "c1", "token", TOKEN, "click_id", clickId, name, "-5");
    }

    @Test
    void decimalComma_andExponent_andZero_areAccepted() {
      assertEquals(0, new BigDecimal("12.5").compareTo(acceptC1("amount", "12,50").amount()));
      assertEquals(0, new BigDecimal("1500").compareTo(acceptC1("amount", "1.5e3").amount()));
      assertEquals(0, BigDecimal.ZERO.compareTo(acceptC1("amount", "0.00").amount()));
      assertEquals(0, new BigDecimal("999999999999999.12345678").compareTo(
          acceptC1("amount", "999999999999999.12345678").amount()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"US", "EURO", "12A", "€€€", "U$D", "usd "})
    void invalidCurrency_isRefused(String value) {
      if (value.equals("usd ")) {
        assertEquals("USD", acceptC1("currency", value).currency(), "surrounding space is trimmed");
        return;
      }
      assertRejected(Reason.INVALID_CURRENCY, "campaign_id", "c1", "token", TOKEN, "click_id", clickId, "currency", value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"first deposit", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "sale/1", "{event}x", "dépôt", "a&b"})
    void invalidEventName_isRefused_namingTheParameter(String value) {
      RejectedException e = assertRejected(value.startsWith("{") ? Reason.UNSUBSTITUTED_MACRO : Reason.INVALID_PARAMETER,
          "campaign_id", "c1", "token", TOKEN, "click_id", clickId, "goal", value);
      assertEquals("goal", e.parameter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sale", "first_deposit", "ftd.1", "reg:step-2", "0"})
    void ordinaryEventNames_areAccepted(String value) {
      assertEquals(value, acceptC1("event", value).event());
    }

    @Test
    void unknownStatus_isRefused() {
      RejectedException e = assertRejected(Reason.UNKNOWN_STATUS, "campaign_id", "c1", "token", TOKEN,
          "click_id", clickId, "status", "weird");
      assertTrue(e.getMessage().contains("weird"), e.getMessage());
    }

    @Test
    void statusWord_mappedByTheUrl_orByTheCampaign_isAccepted() {
      assertEquals(ConversionStatus.APPROVED, acceptC1("status", "weird", "sale_status", "weird").status());
      String openClick = core.click("open", "a1");
      assertEquals(ConversionStatus.APPROVED, accept("campaign_id", "open", "click_id", openClick, "status", "done").status());
    }

    @Test
    void longValues_areCapped() {
      Postback p = acceptC1("event", "e".repeat(64), "txid", "t".repeat(128), "sub1", "s".repeat(2000),
          "customer_id", "c".repeat(128));
      assertEquals(64, p.event().length());
      assertEquals(128, p.txid().length());
      assertEquals(512, p.extra().get("sub1").length());
      assertEquals(128, p.customerId().length());
    }

    @Test
    void overlongKeys_areRefused_notTruncatedIntoAnotherTransaction() {
      for (String name : new String[] {"txid", "customer_id"}) {
        RejectedException e = org.junit.jupiter.api.Assertions.assertThrows(RejectedException.class,
            () -> acceptC1(name, "k".repeat(129)));
        assertEquals(Reason.INVALID_PARAMETER, e.reason());
        assertEquals(name, e.parameter());
      }
    }
  }

  @Test
  void unknownParameters_areKeptAsExtras_butCredentialsAndControlsAreNot() {
    Postback p = acceptC1("sub1", "s-1", "utm_source", "fb", "goal_name", "first deposit", "secret", "x",
        "sig", "abc", "ts", "1", "return", "OK", "sale_status", "done", "lead_status", "wait", "new_customer", "1",
        "customer_id", "cu-1", "conversion_rate", "1");
    assertEquals(Map.of("sub1", "s-1", "utm_source", "fb", "goal_name", "first deposit"), p.extra());
  }

  @Test
  void extras_areLimitedInNumberAndNameLength() {
    String[] many = new String[100];
    for (int i = 0; i < 50; i++) {
      many[2 * i] = "x" + i;
      many[2 * i + 1] = "v";
    }
    Postback p = acceptC1(many);
    assertEquals(40, p.extra().size());
    assertFalse(acceptC1("n".repeat(65), "v").extra().containsKey("n".repeat(65)));
  }

  @Test
  void queueFailure_propagates_andNothingIsAcknowledged() {
    core.queue.goDown();
    assertThrows(QueueUnavailableException.class, this::acceptC1);
    assertEquals(List.of(), core.queue.sent());
    core.queue.comeBack();
    Postback retried = acceptC1();
    assertEquals(List.of(retried), core.queue.sent());
  }

  @Test
  void everyRejection_hasAReasonThatIsNotAnAttributionReason() {
    // the edge decides only what it can decide without attribution
    Set<Reason> attributionOnly = Set.of(Reason.CLICK_EXPIRED, Reason.TOO_FAST, Reason.CAMPAIGN_MISMATCH,
        Reason.DUPLICATE, Reason.INVALID_STATUS_TRANSITION, Reason.REPEAT_NOT_ALLOWED, Reason.UNKNOWN_CUSTOMER);
    for (String[] params : List.of(new String[] {}, new String[] {"click_id", "x"}, new String[] {"campaign_id", "c1"})) {
      RejectedException e = assertThrows(RejectedException.class, () -> core.postbackService.accept(CoreFixture.get(params)));
      assertFalse(attributionOnly.contains(e.reason()));
      assertNotEquals(500, e.reason().httpStatus());
    }
  }
}
