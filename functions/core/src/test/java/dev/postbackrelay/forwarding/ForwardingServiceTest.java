package dev.postbackrelay.forwarding;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionStatus;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.testing.CoreFixture;
import dev.postbackrelay.testing.ScriptedPostbackSender;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardingServiceTest {

  private final CoreFixture core = new CoreFixture();
  private final Instant t = core.clock.instant();
  private final Campaign campaign = campaign("c1").affiliate("a1",
      "https://partner.example/pb?cid={click_id}&s1={sub1}&s2={sub2}&e={event}&st={status}&p={payout}&a={amount}"
          + "&c={currency}&tx={txid}&camp={campaign_id}&aff={affiliate_id}&ext={external_id}").build();
  private final Click click = new Click("click-1", "c1", "a1", t, Map.of("sub1", "a b/c"), null, null, null, null, null,
      null, t.plusSeconds(3600));

  private Conversion stored(ConversionStatus status, Map<String, String> extra) {
    Conversion c = new Conversion("click-1", "sale", "T 1", "c1", "a1", status, new BigDecimal("100.50"), "EUR",
        new BigDecimal("7.5"), "USD", t, "pb-1", extra, List.of(new StatusChange(null, status, t, "pb-1")), List.of());
    core.conversions.createIfAbsent("sale#T 1", c);
    return c;
  }

  private Conversion current() {
    return core.conversions.find("click-1", "sale#T 1").orElseThrow();
  }

  @Test
  void everyMacro_isFilled_urlEncoded() {
    assertTrue(core.forwarding.forward("sale#T 1", stored(ConversionStatus.APPROVED, Map.of()), click, campaign));
    assertEquals("https://partner.example/pb?cid=click-1&s1=a%20b%2Fc&s2=&e=sale&st=approved&p=7.5&a=100.50&c=EUR"
        + "&tx=T%201&camp=c1&aff=a1&ext=T%201", core.sender.calls().get(0).url().toString());
  }

  @Test
  void externalId_isTheCustomer_whenThereIsOne() {
    core.forwarding.forward("sale#T 1", stored(ConversionStatus.APPROVED, Map.of("customer_id", "cu-1")), click, campaign);
    assertTrue(core.sender.calls().get(0).url().toString().endsWith("&ext=cu-1"));
  }

  @Test
  void successfulDelivery_isLogged_andNeverRepeated() {
    Conversion c = stored(ConversionStatus.APPROVED, Map.of());
    assertTrue(core.forwarding.forward("sale#T 1", c, click, campaign));
    assertTrue(core.forwarding.forward("sale#T 1", current(), click, campaign));
    assertEquals(1, core.sender.calls().size());
    DeliveryAttempt attempt = current().deliveries().get(0);
    assertEquals(new DeliveryAttempt("affiliate:a1", ConversionStatus.APPROVED, t, 200, 12, null), attempt);
  }

  @Test
  void failedDelivery_isLogged_andRetriedWithTheSameIdempotencyKey() {
    core.sender.thenRespond(ScriptedPostbackSender.status(500), ScriptedPostbackSender.timeout());
    Conversion c = stored(ConversionStatus.APPROVED, Map.of());
    assertFalse(core.forwarding.forward("sale#T 1", c, click, campaign));
    assertFalse(core.forwarding.forward("sale#T 1", current(), click, campaign));
    assertTrue(core.forwarding.forward("sale#T 1", current(), click, campaign));
    assertEquals(List.of(500, 0, 200), current().deliveries().stream().map(DeliveryAttempt::httpStatus).toList());
    assertEquals(1, core.sender.calls().stream().map(ScriptedPostbackSender.Call::idempotencyKey).distinct().count());
  }

  @Test
  void idempotencyKey_isStablePerConversionTargetAndStatus() {
    Conversion approved = stored(ConversionStatus.APPROVED, Map.of());
    String key = ForwardingService.idempotencyKey(approved, "affiliate:a1");
    assertEquals(key, ForwardingService.idempotencyKey(current(), "affiliate:a1"));
    assertNotEquals(key, ForwardingService.idempotencyKey(approved, "affiliate:a2"));
    Conversion chargeback = new Conversion(approved.clickId(), approved.event(), approved.txid(), approved.campaignId(),
        approved.affiliateId(), ConversionStatus.CHARGEBACK, approved.amount(), approved.currency(), approved.payout(),
        approved.payoutCurrency(), approved.createdAt(), approved.postbackId(), approved.extra(), approved.history(),
        approved.deliveries());
    assertNotEquals(key, ForwardingService.idempotencyKey(chargeback, "affiliate:a1"));
    core.forwarding.forward("sale#T 1", approved, click, campaign);
    assertEquals(key, core.sender.calls().get(0).idempotencyKey());
  }

  @Test
  void unknownAffiliate_owesNothing() {
    Conversion c = new Conversion("click-1", "sale", "", "c1", "gone", ConversionStatus.APPROVED, null, null, null,
        null, t, "pb-1", Map.of(), List.of(), List.of());
    assertTrue(core.forwarding.forward("sale", c, click, campaign));
    assertEquals(List.of(), core.sender.calls());
  }
}
