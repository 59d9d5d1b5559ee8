package dev.postbackrelay.click;

import static dev.postbackrelay.testing.RecordCopies.assertBuilderSetsEachComponentByName;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClickCopiesTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void builder_setsEachComponentByName_andNoOther() {
    Click full = Click.builder().clickId("click-1").campaignId("camp-1").affiliateId("aff-1").createdAt(T0)
        .subs(Map.of("sub1", "s1")).platformIds(Map.of("gclid", "g-1")).extra(Map.of("utm_source", "fb"))
        .ip("203.0.113.1").userAgent("UA-1").referer("https://a.example/").country("DE")
        .expiresAt(T0.plusSeconds(86400)).build();
    Click other = Click.builder().clickId("click-2").campaignId("camp-2").affiliateId("aff-2")
        .createdAt(T0.plusSeconds(1)).subs(Map.of("sub2", "s2")).platformIds(Map.of("fbclid", "f-1"))
        .extra(Map.of("utm_medium", "cpc")).ip("2001:db8::1").userAgent("UA-2").referer("https://b.example/")
        .country("FR").expiresAt(T0.plusSeconds(2 * 86400)).build();

    assertBuilderSetsEachComponentByName(full, other);
  }
}
