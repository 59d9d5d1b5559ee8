package dev.postbackrelay.postback;

import static dev.postbackrelay.testing.RecordCopies.assertBuilderSetsEachComponentByName;
import static dev.postbackrelay.testing.RecordCopies.assertChangedOnly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postbackrelay.common.ConversionStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PostbackCopiesTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  static Postback full() {
    return Postback.builder().postbackId("pb-1").receivedAt(T0).sourceIp("198.51.100.7").clickId("click-1")
        .campaignId("camp-1").affiliateId("aff-1").event("sale").txid("T-1").amount(new BigDecimal("50.00"))
        .payout(new BigDecimal("5")).currency("EUR").conversionRate(new BigDecimal("1.08"))
        .status(ConversionStatus.PENDING).statusWord("pending").customerId("cust-1").newCustomer(false)
        .extra(Map.of("sub1", "s1")).authenticatedBy(Set.of(Postback.Authentication.TOKEN))
        .sent(List.of(Map.entry("click_id", "click-1"))).build();
  }

  static Postback other() {
    return Postback.builder().postbackId("pb-2").receivedAt(T0.plusSeconds(1)).sourceIp("203.0.113.9")
        .clickId("click-2").campaignId("camp-2").affiliateId("aff-2").event("lead").txid("T-2")
        .amount(new BigDecimal("7")).payout(new BigDecimal("1")).currency("USD").conversionRate(BigDecimal.ONE)
        .status(ConversionStatus.APPROVED).statusWord("ok").customerId("cust-2").newCustomer(true)
        .extra(Map.of("utm_source", "fb")).authenticatedBy(Set.of(Postback.Authentication.SIGNATURE))
        .sent(List.of(Map.entry("clickid", "click-2"), Map.entry("token", "********"))).build();
  }

  @Test
  void builder_setsEachComponentByName_andNoOther() {
    assertBuilderSetsEachComponentByName(full(), other());
  }

  @Test
  void withClickId_changesOnlyTheClickId() {
    Postback resolved = full().withClickId("click-of-the-customer");

    assertEquals("click-of-the-customer", resolved.clickId());
    assertChangedOnly(full(), resolved, "clickId");
  }

  @Test
  void builder_leavesTheConstructorsDefaults() {
    Postback bare = Postback.builder().postbackId("pb-1").build();

    assertEquals("", bare.txid());
    assertEquals(Map.of(), bare.extra());
    assertEquals(Set.of(), bare.authenticatedBy());
    assertEquals(List.of(), bare.sent());
  }
}
