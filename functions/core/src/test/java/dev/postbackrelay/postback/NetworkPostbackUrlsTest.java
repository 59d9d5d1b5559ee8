package dev.postbackrelay.postback;

import static dev.postbackrelay.testing.CampaignBuilder.campaign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.postback.NetworkPostbackUrls.Entry;
import dev.postbackrelay.testing.CoreFixture;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NetworkPostbackUrlsTest {

  private static final String TOKEN = "tok&c1 secret";
  private static final String BASE = "https://relay.example";
  private static final Pattern MACRO = Pattern.compile("\\{[^}]*}|#[a-z0-9]+#");

  private final Campaign c1 = campaign("c1").token(TOKEN)
      .landing("https://network.example/click?offer=7&sub2={click_id}&s1={sub1}")
      .affiliate("a1", (String) null).build();
  private final CoreFixture core = new CoreFixture().with(c1);
  private final String clickId = core.click("c1", "a1");

  @Test
  void everySystemsUrl_filledAsThatSystemFillsIt_isAcceptedWithTheRightFields() {
    List<Entry> entries = NetworkPostbackUrls.forCampaign(c1, BASE);
    int checked = 0;
    for (Entry entry : entries) {
      if (entry.url() == null) {
        continue;
      }
      Postback p = core.postbackService.accept(new InboundPostback(fill(entry.url()), "GET", "/postback", "203.0.113.9"));
      assertEquals(clickId, p.clickId(), entry.system());
      assertEquals("c1", p.campaignId(), entry.system());
      if (!entry.undocumented().contains("txid")) {
        assertEquals("T-1", p.txid(), entry.system());
      }
      if (!entry.undocumented().contains("payout")) {
        assertEquals(0, new BigDecimal("2.50").compareTo(p.payout()), entry.system() + ": " + p.payout());
      }
      if (!entry.undocumented().contains("status")) {
        assertEquals(ConversionStatus.APPROVED, p.status(), entry.system());
      }
      checked++;
    }
    assertEquals(9, checked, "every system with documented macros, and the generic one");
  }

  @Test
  void everyTemplate_sentUnfilled_isRefusedAsAnUnsubstitutedMacro() {
    for (Entry entry : NetworkPostbackUrls.forCampaign(c1, BASE)) {
      if (entry.url() == null) {
        continue;
      }
      RejectedException e = assertThrows(RejectedException.class, () -> core.postbackService.accept(
          new InboundPostback(params(entry.url()), "GET", "/postback", "203.0.113.9")), entry.system());
      assertEquals(Reason.UNSUBSTITUTED_MACRO, e.reason(), entry.system() + ": " + e.getMessage());
    }
  }

  @Test
  void theClickId_comesBackThroughTheSubTheLandingUrlUses() {
    Map<String, String> macros = clickIdMacros(NetworkPostbackUrls.forCampaign(c1, BASE));
    assertEquals("{sub2}", macros.get("Everflow"));
    assertEquals("{sub2}", macros.get("Affise"));
    assertEquals("#s2#", macros.get("CAKE"));
    assertEquals("{aff_sub}", macros.get("TUNE (HasOffers)"));
    assertEquals("{external_id}", macros.get("Keitaro"));

    Campaign plain = campaign("c2").token(TOKEN).landing("https://shop.example/lp").affiliate("a1", (String) null).build();
    Entry everflow = NetworkPostbackUrls.forCampaign(plain, BASE).get(0);
    assertTrue(everflow.clickIdTravelsIn().startsWith("put the click id in sub1"), everflow.clickIdTravelsIn());
  }

  @Test
  void whatNoSourceDocuments_isSaid_notGuessed() {
    Entry tracknow = NetworkPostbackUrls.forCampaign(c1, BASE).stream()
        .filter(e -> e.system().equals("Tracknow")).findFirst().orElseThrow();
    assertNull(tracknow.url());
    assertTrue(tracknow.undocumented().contains("click_id"));
    Entry everflow = NetworkPostbackUrls.forCampaign(c1, BASE).get(0);
    assertEquals(List.of("amount", "currency", "status", "event"), everflow.undocumented());
    NetworkPostbackUrls.forCampaign(c1, BASE).stream().filter(e -> !e.system().equals("Generic"))
        .forEach(e -> assertTrue(e.sources().stream().allMatch(s -> s.startsWith("http")), e.system()));
  }

  @Test
  void signedAndAllowlistedCampaigns_sayWhatTheSenderMustDo() {
    Campaign signed = campaign("s1").signingSecret("sign-secret-0123456789").ipAllowlist("203.0.113.0/24")
        .affiliate("a1", (String) null).build();
    Entry generic = NetworkPostbackUrls.forCampaign(signed, BASE).get(9);
    assertEquals("Generic", generic.system());
    assertTrue(generic.notes().stream().anyMatch(n -> n.contains("HMAC signature")), generic.notes().toString());
    assertTrue(generic.notes().stream().anyMatch(n -> n.contains("203.0.113.0/24")), generic.notes().toString());
    assertTrue(!generic.url().contains("token="), generic.url());
  }

  /** Fills every macro as the sending system would, choosing the value by the parameter it stands in. */
  private Params fill(String url) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (Map.Entry<String, String> p : params(url).pairs()) {
      String value = p.getValue();
      Matcher m = MACRO.matcher(value);
      if (m.find()) {
        value = switch (p.getKey()) {
          case "click_id" -> clickId;
          case "txid" -> "T-1";
          case "payout" -> "2.50";
          case "amount" -> "10.00";
          case "currency" -> "EUR";
          case "event" -> "sale";
          case "status" -> value.startsWith("{status:") || url.contains("sale_status=1") ? "1" : "approved";
          default -> throw new AssertionError("a macro in " + p.getKey());
        };
      }
      pairs.add(Map.entry(p.getKey(), value));
    }
    return Params.of(pairs);
  }

  private static Params params(String url) {
    String query = URI.create(url.replace(" ", "%20").replace("{", "%7B").replace("}", "%7D").replace("#", "%23"))
        .getRawQuery();
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      pairs.add(Map.entry(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1))));
    }
    return Params.of(pairs);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, String> clickIdMacros(List<Entry> entries) {
    Map<String, String> macros = new java.util.HashMap<>();
    for (Entry e : entries) {
      if (e.url() != null) {
        macros.put(e.system(), params(e.url()).first("click_id").orElseThrow());
      }
    }
    return macros;
  }
}
