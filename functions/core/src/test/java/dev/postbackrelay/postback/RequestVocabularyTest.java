package dev.postbackrelay.postback;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.click.Click;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.testing.CoreFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request vocabulary declared in {@link Param} is what the routes read: every alias means
 * exactly what its canonical name means, the canonical name wins over its aliases, and the
 * declaration itself is consistent (no name in two parameters, no name a sub id would swallow).
 * {@code infra/deploy-checks} compares the same declaration with {@code docs/openapi.yaml}.
 */
class RequestVocabularyTest {

  private static final String TOKEN = "tok-c1-secret";
  /** A value each parameter accepts; any change of meaning between names shows in the postback. */
  private static final Map<Param, String> SAMPLE = Map.of(
      Param.EVENT, "deposit", Param.STATUS, "declined", Param.AMOUNT, "12.50", Param.PAYOUT, "3.25",
      Param.CURRENCY, "EUR", Param.TXID, "T-77", Param.AFFILIATE_ID, "a1");

  private final CoreFixture core = new CoreFixture()
      .with(campaign("c1").token(TOKEN).affiliate("a1", "https://partner.example/pb?cid={click_id}").build());
  private final String clickId = core.click("c1", "a1");

  static Stream<Arguments> postbackAliases() {
    return Arrays.stream(Param.values()).filter(p -> p.readBy(Param.Route.POSTBACK))
        .flatMap(p -> p.aliases().stream().map(alias -> Arguments.of(p, alias)));
  }

  @ParameterizedTest(name = "{1} means {0}")
  @MethodSource("postbackAliases")
  void eachPostbackAliasMeansWhatItsCanonicalNameMeans(Param param, String alias) {
    assertEquals(meaning(accept(param, param.canonical())), meaning(accept(param, alias)));
  }

  @ParameterizedTest(name = "{1} loses to {0}")
  @MethodSource("postbackAliases")
  void theCanonicalNameWinsOverItsAliases(Param param, String alias) {
    Map<String, String> base = base(param);
    if (!SAMPLE.containsKey(param)) {
      return; // the click id and the token have one right value: nothing to tell apart
    }
    List<String> params = flatten(base);
    params.addAll(List.of(alias, param == Param.AFFILIATE_ID ? "a2" : other(param), param.canonical(), SAMPLE.get(param)));
    assertEquals(meaning(accept(param, param.canonical())), meaning(core.postback(params.toArray(String[]::new))));
  }

  @Test
  void everyNameIsInOneParameterOnly_andAlreadyInNormalisedForm() {
    Map<String, Param> owner = new HashMap<>();
    for (Param p : Param.values()) {
      for (String name : p.names()) {
        Param before = owner.put(name, p);
        assertTrue(before == null, () -> name + " is declared by both " + before + " and " + p);
        assertEquals(Params.name(name), name, "names are declared as the routes compare them");
        assertFalse(Click.isSubId(name), () -> name + " would be read as a sub id on /click");
      }
    }
  }

  @Test
  void theMissingClickIdSentenceNamesEveryAlias() {
    String sentence = Reason.MISSING_CLICK_ID.sentence();
    Param.CLICK_ID.names().forEach(n -> assertTrue(sentence.contains(n), () -> sentence + " does not name " + n));
    String affiliate = Reason.MISSING_AFFILIATE_ID.sentence();
    Param.AFFILIATE_ID.names().forEach(n -> assertTrue(affiliate.contains(n), () -> affiliate + " does not name " + n));
  }

  @Test
  void namesThePostbackReadsAreNotKeptAsExtras_andOtherNamesAre() {
    List<String> params = flatten(base(Param.CAMPAIGN_ID));
    SAMPLE.forEach((param, value) -> param.names().forEach(n -> params.addAll(List.of(n, value))));
    Stream.of(Param.LEAD_STATUS, Param.SALE_STATUS, Param.REBILL_STATUS, Param.REJECTED_STATUS, Param.CHARGEBACK_STATUS)
        .forEach(param -> params.addAll(List.of(param.canonical(), "custom-word")));
    params.addAll(List.of(Param.RETURN.canonical(), "json", Param.NEW_CUSTOMER.canonical(), "no",
        Param.TRANSACTION_ID.canonical(), "ORD-1", "utm_source", "feed"));
    assertEquals(Map.of("utm_source", "feed"), core.postback(params.toArray(String[]::new)).extra());
  }

  private Postback accept(Param param, String name) {
    core.clock.advance(Duration.ofMillis(1));
    List<String> params = flatten(base(param));
    params.add(name);
    params.add(param == Param.CLICK_ID ? clickId : param == Param.TOKEN ? TOKEN : SAMPLE.get(param));
    return core.postback(params.toArray(String[]::new));
  }

  /** A valid postback for c1 without any name of {@code param}. */
  private Map<String, String> base(Param param) {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("campaign_id", "c1");
    if (param != Param.CLICK_ID) {
      base.put("click_id", clickId);
    }
    if (param != Param.TOKEN) {
      base.put("token", TOKEN);
    }
    return base;
  }

  private static String other(Param param) {
    return switch (param) {
      case EVENT -> "registration";
      case STATUS -> "approved";
      case AMOUNT -> "99";
      case PAYOUT -> "1";
      case CURRENCY -> "USD";
      case TXID -> "T-OTHER";
      default -> throw new IllegalArgumentException(param.name());
    };
  }

  private static List<String> flatten(Map<String, String> params) {
    List<String> out = new ArrayList<>();
    params.forEach((k, v) -> {
      out.add(k);
      out.add(v);
    });
    return out;
  }

  /** Everything a postback says, without what differs between two receipts (its id and time). */
  private static List<Object> meaning(Postback p) {
    return Arrays.asList(p.sourceIp(), p.clickId(), p.campaignId(), p.affiliateId(), p.event(), p.txid(),
        p.amount(), p.payout(), p.currency(), p.conversionRate(), p.status(), p.statusWord(), p.customerId(),
        p.newCustomer(), p.extra(), p.authenticatedBy());
  }
}
