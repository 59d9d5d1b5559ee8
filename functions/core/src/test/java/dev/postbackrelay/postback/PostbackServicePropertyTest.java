package dev.postbackrelay.postback;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.testing.CoreFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.Tuple;

/**
 * Whatever arrives at {@code /postback}, accepting it either queues a postback or refuses it with
 * a reason and a sentence: no other exception escapes, so the handler never answers 5xx for input.
 */
class PostbackServicePropertyTest {

  private static final String TOKEN = "tok-c1-secret";
  private static final String SIGNING_SECRET = "sign-secret-0123456789";

  /** Every name /postback reads, and a few it keeps as extras: the names the generator mixes. */
  private static final List<String> KNOWN_NAMES = Stream.concat(Param.reserved(Param.Route.POSTBACK).stream(),
      Stream.of("sub1", "sub10", "utm_source", "fbclid")).toList();

  private static final List<String> MACROS = List.of("{clickid}", "%7Bclickid%7D", "{{clickid}}", "[CLICK_ID]", "#s2#",
      "${SUBID}", "%%CLICKID%%", "<CLICK_ID>", "%7B", "%7D", "{", "}", "%", "%%", "$", "#", "[", "]", "%7Bx", "${",
      "%25", "%00", "%zz", "\u0000", "\uFFFF", "\uD800", "\uDC00");

  private final CoreFixture core = new CoreFixture()
      .with(campaign("c1").token(TOKEN).affiliate("a1", "https://partner.example/pb").build())
      .with(campaign("open").status("done", ConversionStatus.APPROVED).affiliate("a1", (String) null).build())
      .with(campaign("ev").transactionIdMeans(Campaign.TransactionIdMeans.CLICK_ID).affiliate("a1", (String) null).build())
      .with(campaign("ip").ipAllowlist("203.0.113.0/24", "2001:db8::/32").affiliate("a1", (String) null).build())
      .with(campaign("signed").signingSecret(SIGNING_SECRET).affiliate("a1", (String) null).build());

  private final List<String> clickIds = List.of(core.click("c1", "a1"), core.click("open", "a1"), core.click("ev", "a1"),
      core.click("ip", "a1"), core.click("signed", "a1"), core.clickIds.issue(core.clock.instant()));

  @Property(tries = 300)
  void accept_eitherQueuesAPostback_orRejectsWithAReasonAndASentence(
      @ForAll("postbacks") Supplier<InboundPostback> in) {
    core.queue.drain();
    Postback accepted;
    try {
      accepted = core.postbackService.accept(in.get()); // building its Params may refuse it too
    } catch (RejectedException e) {
      assertNotNull(e.reason(), "a rejection has a reason");
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a rejection has a sentence");
      assertTrue(e.reason().httpStatus() >= 400 && e.reason().httpStatus() < 500, "a rejection is a 4xx: " + e.reason());
      assertEquals(List.of(), core.queue.sent(), "nothing queued on a rejection");
      return;
    }
    assertNotNull(accepted);
    assertEquals(List.of(accepted), core.queue.sent(), "what is acknowledged is what was queued");
    assertNotNull(accepted.campaignId());
    assertTrue(accepted.clickId() != null || accepted.customerId() != null, "a click or a customer to attribute to");
    assertTrue(accepted.clickId() == null || core.clickIds.verify(accepted.clickId()), "only our own click ids pass");
    assertTrue(accepted.event().matches("[a-z0-9_.:-]{1,64}"), accepted.event());
    assertTrue(accepted.txid().length() <= 512);
    assertTrue(accepted.extra().size() <= 40);
    assertFalse(accepted.extra().containsKey("token") || accepted.extra().containsKey("secret")
        || accepted.extra().containsKey("sig"), "credentials are never kept as extras");
    assertTrue(accepted.amount() == null || accepted.amount().signum() >= 0);
  }

  @Provide
  Arbitrary<Supplier<InboundPostback>> postbacks() {
    Arbitrary<List<Map.Entry<String, String>>> random = Combinators.combine(names(), values()).as(Map::entry)
        .list().ofMaxSize(12);
    Arbitrary<String> campaigns = Arbitraries.frequency(
        Tuple.of(4, "open"), Tuple.of(3, "c1"), Tuple.of(1, "ev"), Tuple.of(1, "ip"), Tuple.of(1, "nope"), Tuple.of(1, ""));
    Arbitrary<List<Map.Entry<String, String>>> base = Combinators.combine(campaigns, Arbitraries.of(clickIds),
        Arbitraries.frequency(Tuple.of(4, "click_id"), Tuple.of(2, "clickid"), Tuple.of(1, "subid"),
            Tuple.of(1, "transaction_id"), Tuple.of(1, "customer_id")),
        Arbitraries.frequency(Tuple.of(5, TOKEN), Tuple.of(1, "wrong"))).as((campaign, clickId, idName, token) -> {
          List<Map.Entry<String, String>> pairs = new ArrayList<>();
          if (!campaign.isEmpty()) {
            pairs.add(Map.entry("campaign_id", campaign));
          }
          pairs.add(Map.entry(idName, clickId));
          pairs.add(Map.entry("token", token));
          return pairs;
        });
    Arbitrary<String> methods = Arbitraries.of("GET", "POST", "get", "PUT");
    Arbitrary<Supplier<InboundPostback>> unsigned = Combinators.combine(random, base,
        Arbitraries.frequency(Tuple.of(1, "random only"), Tuple.of(5, "base first"), Tuple.of(1, "random first")),
        methods, sourceIps())
        .as((r, b, mode, method, ip) -> () -> {
          List<Map.Entry<String, String>> all = new ArrayList<>();
          if (mode.equals("base first")) {
            all.addAll(b);
          }
          all.addAll(r);
          if (mode.equals("random first")) {
            all.addAll(b);
          }
          return new InboundPostback(Params.of(all), method, "/postback", ip);
        });
    Arbitrary<Supplier<InboundPostback>> signed = Combinators.combine(random, methods, Arbitraries.integers().between(-400, 400))
        .as((r, method, skew) -> () -> {
          List<Map.Entry<String, String>> all = new ArrayList<>();
          all.add(Map.entry("campaign_id", "signed"));
          all.add(Map.entry("click_id", clickIds.get(4)));
          all.add(Map.entry("ts", Long.toString(core.clock.instant().getEpochSecond() + skew)));
          all.addAll(r);
          String sig = PostbackSignature.sign(SIGNING_SECRET, PostbackSignature.stringToSign(method, Params.of(all).pairs()));
          all.add(0, Map.entry("sig", sig));
          return new InboundPostback(Params.of(all), method, "/postback", "198.51.100.20");
        });
    return Arbitraries.frequencyOf(Tuple.of(4, unsigned), Tuple.of(1, signed));
  }

  private Arbitrary<String> names() {
    Arbitrary<String> known = Arbitraries.of(KNOWN_NAMES);
    return Arbitraries.frequencyOf(
        weighted(6, known),
        weighted(2, known.map(n -> n.toUpperCase(Locale.ROOT))),
        weighted(1, known.map(n -> " " + n + " ")),
        weighted(1, Arbitraries.strings().all().ofMaxLength(80)),
        weighted(1, Arbitraries.strings().alpha().ofMinLength(60).ofMaxLength(70)));
  }

  private Arbitrary<String> values() {
    return Arbitraries.frequencyOf(
        weighted(3, Arbitraries.strings().all().ofMaxLength(40)),
        weighted(2, Arbitraries.strings().withChars("{}[]#$%7BDclickid_ ").ofMaxLength(20)),
        weighted(2, Arbitraries.of(MACROS)),
        weighted(2, Arbitraries.of(clickIds)),
        weighted(1, Arbitraries.of(clickIds).map(id -> id.substring(0, 31) + "~")),
        weighted(2, Arbitraries.of("10.50", "0", "-1", "1e5", "1E+400", "1e-400", "1e2147483648", "1e-2147483649",
            "0x10", "NaN", "Infinity", "+5", "1,5", "12,345.67", "9".repeat(400), ".", "-", "1e", "00.00")),
        weighted(2, Arbitraries.bigDecimals().between(new java.math.BigDecimal("-1e20"), new java.math.BigDecimal("1e20"))
            .ofScale(10).map(java.math.BigDecimal::toString)),
        weighted(1, Arbitraries.of("usd", "EUR", "eu", "EURO", "\u0131\u0131d", "\u00df\u00df\u00df")),
        weighted(1, Arbitraries.of("sale", "lead", "done", "weird", "approved", "chargeback", "")),
        weighted(1, Arbitraries.of("1", "true", "yes", "no", TOKEN, SIGNING_SECRET)),
        weighted(1, Arbitraries.longs().map(l -> Long.toString(l))),
        weighted(1, Arbitraries.of(Long.toString(Long.MIN_VALUE), Long.toString(Long.MAX_VALUE),
            Long.toString(core.clock.instant().getEpochSecond()))),
        weighted(1, Arbitraries.strings().all().ofMinLength(1000).ofMaxLength(20_000)));
  }

  private Arbitrary<String> sourceIps() {
    return Arbitraries.frequencyOf(
        weighted(4, Arbitraries.of("198.51.100.20", "203.0.113.9", "2001:db8::5", "127.0.0.1", "::1", "10.0.0.1")),
        weighted(1, Arbitraries.integers().between(0, 255).list().ofSize(4)
            .map(b -> b.get(0) + "." + b.get(1) + "." + b.get(2) + "." + b.get(3))),
        weighted(1, Arbitraries.of("", "not-an-ip", "2001:db8::1%eth0", "1.2.3.4.5x")),
        weighted(1, Arbitraries.<String>just(null)));
  }

  private static Tuple2<Integer, Arbitrary<? extends String>> weighted(int weight, Arbitrary<String> arbitrary) {
    return Tuple.of(weight, arbitrary);
  }
}
