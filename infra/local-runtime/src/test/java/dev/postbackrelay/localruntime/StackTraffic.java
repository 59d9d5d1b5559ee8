package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fault and restart tests send a running stack, through its HTTP API only: a campaign
 * with destinations, clicks, postbacks, and the campaign's conversions read back page by page.
 */
final class StackTraffic {

  static final String POSTBACK_TOKEN = "faults-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private StackTraffic() {}

  /** Puts campaign {@code id} whose affiliate {@code a1} has {@code postbackUrl}; {@code destinations} JSON or null. */
  static void putCampaign(RunningStack stack, String id, String postbackUrl, String destinations) throws Exception {
    HttpResponse<String> put = stack.send("PUT", "/admin/campaigns/" + id, null, """
        {"landing_url":"https://example.com/lp?cid={click_id}","postback_token":"%s","attribution_window_days":30,
         "affiliates":{"a1":{"postback_url":"%s"}}%s}
        """.formatted(POSTBACK_TOKEN, postbackUrl, destinations == null ? "" : ",\"destinations\":" + destinations));
    assertEquals(200, put.statusCode(), put.body());
  }

  /** A click on {@code campaign}'s affiliate {@code a1}: its click id. */
  static String click(RunningStack stack, String campaign) throws Exception {
    HttpResponse<String> redirect = stack.send("GET", "/click?campaign_id=" + campaign + "&affiliate_id=a1", null, null);
    assertEquals(302, redirect.statusCode(), redirect.body());
    URI location = URI.create(redirect.headers().firstValue("location").orElseThrow());
    return AffiliateServer.query(location.getRawQuery()).get("cid");
  }

  /** The query of a sale postback for {@code clickId}. */
  static String postback(String clickId, String txid) {
    return "/postback?click_id=" + URLEncoder.encode(clickId, StandardCharsets.UTF_8) + "&event=sale&txid=" + txid
        + "&amount=10&payout=2.5&currency=USD&token=" + POSTBACK_TOKEN;
  }

  /** Every conversion of {@code campaign}, all pages. */
  static List<JsonNode> conversions(RunningStack stack, String campaign) throws Exception {
    List<JsonNode> all = new ArrayList<>();
    String next = null;
    do {
      HttpResponse<String> page = stack.send("GET", "/admin/conversions?limit=500&campaign_id=" + campaign
          + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), null, null);
      assertEquals(200, page.statusCode(), page.body());
      JsonNode body = JSON.readTree(page.body());
      body.path("items").forEach(all::add);
      next = body.path("next").isTextual() ? body.path("next").asText() : null;
    } while (next != null);
    return all;
  }
}
