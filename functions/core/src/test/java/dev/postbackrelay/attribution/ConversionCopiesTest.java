package dev.postbackrelay.attribution;

import static dev.postbackrelay.testing.RecordCopies.assertBuilderSetsEachComponentByName;
import static dev.postbackrelay.testing.RecordCopies.assertChangedOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.postbackrelay.click.Click;
import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConversionCopiesTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  private static Conversion full() {
    return Conversion.builder().clickId("click-1").event("sale").txid("T-1").campaignId("camp-1").affiliateId("aff-1")
        .status(ConversionStatus.PENDING).amount(new BigDecimal("50.00")).currency("EUR").payout(new BigDecimal("5"))
        .payoutCurrency("USD").createdAt(T0).postbackId("pb-1")
        .extra(Map.of("sub1", "s1", "sub10", "s10", "utm_source", "fb"))
        .history(List.of(new StatusChange(null, ConversionStatus.PENDING, T0, "pb-1")))
        .deliveries(List.of(new DeliveryAttempt("affiliate:aff-1", ConversionStatus.PENDING, T0, 200, 12, null)))
        .payoutNote("payout_ignored").revenue(new BigDecimal("54.35")).revenueCurrency("USD").build();
  }

  @Test
  void builder_setsEachComponentByName_andNoOther() {
    Conversion other = Conversion.builder().clickId("click-2").event("lead").txid("T-2").campaignId("camp-2")
        .affiliateId("aff-2").status(ConversionStatus.APPROVED).amount(new BigDecimal("7")).currency("GBP")
        .payout(BigDecimal.ONE).payoutCurrency("GBP").createdAt(T0.plusSeconds(1)).postbackId("pb-2")
        .extra(Map.of("x", "y")).history(List.of()).deliveries(List.of()).payoutNote(null).revenue(BigDecimal.TEN)
        .revenueCurrency("GBP").build();

    assertBuilderSetsEachComponentByName(full(), other);
  }

  @Test
  void withStatus_changesOnlyTheStatus() {
    Conversion approved = full().withStatus(ConversionStatus.APPROVED);

    assertEquals(ConversionStatus.APPROVED, approved.status());
    assertChangedOnly(full(), approved, "status");
  }

  @Test
  void withHistory_changesOnlyTheHistoryAndDeliveries() {
    List<StatusChange> history = List.of(new StatusChange(null, ConversionStatus.PENDING, T0, "pb-1"),
        new StatusChange(ConversionStatus.PENDING, ConversionStatus.APPROVED, T0.plusSeconds(60), "pb-2"));

    Conversion changed = full().withHistory(history, List.of());

    assertEquals(history, changed.history());
    assertEquals(List.of(), changed.deliveries());
    assertChangedOnly(full(), changed, "history", "deliveries");
  }

  @Test
  void rememberedClick_keepsTheIdsAndSubIds_andNothingOfTheVisitor() {
    Click click = full().rememberedClick();

    assertEquals("click-1", click.clickId());
    assertEquals("camp-1", click.campaignId());
    assertEquals("aff-1", click.affiliateId());
    assertEquals(T0, click.createdAt());
    assertEquals(Map.of("sub1", "s1", "sub10", "s10"), click.subs());
    assertEquals(full().extra(), click.extra());
    assertEquals(Map.of(), click.platformIds());
    assertNull(click.ip());
    assertNull(click.userAgent());
    assertNull(click.referer());
    assertNull(click.country());
  }
}
