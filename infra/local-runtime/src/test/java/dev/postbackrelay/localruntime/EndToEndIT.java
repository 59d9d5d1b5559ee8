package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The product as a user runs it: {@code java -jar infra/local-runtime/target/local-runtime.jar} from
 * the repository root, driven over HTTP, with a real HTTP server standing in for the affiliate
 * that receives forwarded postbacks. Skipped until the function artifact is built. The tests share
 * one stack but no data, and run in any order ({@link StackShutdownIT} stops a stack of its own).
 */
class EndToEndIT {

  private static final String ADMIN_TOKEN = "e2e-admin-token";
  private static final String POSTBACK_TOKEN = "s3cret-token";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ConcurrentLinkedQueue<URI> PARTNER_REQUESTS = new ConcurrentLinkedQueue<>();

  private static RunningStack stack;
  private static AffiliateServer partner;

  @BeforeAll
  static void startStack() throws Exception {
    partner = AffiliateServer.start(exchange -> PARTNER_REQUESTS.add(exchange.getRequestURI()));

    stack = RunningStack.start(ADMIN_TOKEN, Map.of("LOCAL_SQS_VISIBILITY_TIMEOUT_SECONDS", "2"), READY_TIMEOUT);

    HttpResponse<String> put = send("PUT", "/admin/campaigns/c1", """
        {"landing_url":"https://example.com/lp?cid={click_id}&s1={sub1}","postback_token":"%s",
         "attribution_window_days":30,
         "affiliates":{"a1":{"postback_url":"http://127.0.0.1:%d/pb?click={click_id}&event={event}&payout={payout}&sub1={sub1}&txid={txid}"}}}
        """.formatted(POSTBACK_TOKEN, partner.port()));
    assertEquals(200, put.statusCode(), put.body());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
    if (partner != null) {
      partner.close();
    }
  }

  @Test
  void duplicatePostbacks_areAccepted_andForwardedToTheAffiliateExactlyOnce() throws Exception {
    String clickId = click();
    String postback = "/postback?click_id=" + clickId
        + "&event=sale&txid=T1&amount=10&payout=2.5&currency=USD&token=" + POSTBACK_TOKEN;
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> accepted = send("GET", postback, null);
      assertEquals(200, accepted.statusCode(), accepted.body());
      JsonNode body = JSON.readTree(accepted.body());
      assertEquals("accepted", body.get("status").asText());
      assertTrue(body.hasNonNull("postback_id"));
    }

    awaitPartnerRequests(clickId, 1);
    stack.awaitIdle(WAIT); // every postback attributed and every delivery done: nothing more can arrive
    List<URI> forwarded = partnerRequests(clickId);
    assertEquals(1, forwarded.size(), "forwarded once: " + forwarded);
    Map<String, String> query = query(forwarded.get(0));
    assertEquals("/pb", forwarded.get(0).getPath());
    assertEquals(clickId, query.get("click"));
    assertEquals("sale", query.get("event"));
    assertEquals("2.50", query.get("payout"), "money goes out with at least two decimals");
    assertEquals("abc", query.get("sub1"));
    assertEquals("T1", query.get("txid"));
  }

  @Test
  void wrongPostbackToken_isForbidden() throws Exception {
    HttpResponse<String> response = send("GET", "/postback?click_id=" + click()
        + "&event=sale&txid=T2&amount=1&payout=1&currency=USD&token=wrong-token", null);
    assertEquals(403, response.statusCode(), response.body());
    assertEquals("bad_token", JSON.readTree(response.body()).get("error").asText());
  }

  @Test
  void missingClickId_isABadRequest() throws Exception {
    HttpResponse<String> response = send("GET", "/postback?event=sale&txid=T3&token=" + POSTBACK_TOKEN, null);
    assertEquals(400, response.statusCode(), response.body());
    assertEquals("missing_click_id", JSON.readTree(response.body()).get("error").asText());
  }

  @Test
  void unknownRoute_isTheGatewaysJsonNotFound() throws Exception {
    HttpResponse<String> response = send("GET", "/no-such-route", null);
    assertEquals(404, response.statusCode());
    assertEquals("not_found", JSON.readTree(response.body()).get("error").asText());
  }

  private static String click() throws Exception {
    HttpResponse<String> redirect = send("GET", "/click?campaign_id=c1&affiliate_id=a1&sub1=abc", null);
    assertEquals(302, redirect.statusCode(), redirect.body());
    URI location = URI.create(redirect.headers().firstValue("location").orElseThrow());
    String clickId = query(location).get("cid");
    assertTrue(clickId != null && !clickId.isBlank(), "click id in " + location);
    return clickId;
  }

  private static HttpResponse<String> send(String method, String pathAndQuery, String body) throws Exception {
    return stack.send(method, pathAndQuery, null, body);
  }

  private static Map<String, String> query(URI uri) {
    return AffiliateServer.query(uri.getRawQuery());
  }

  /** What the affiliate received for {@code clickId}. */
  private static List<URI> partnerRequests(String clickId) {
    return PARTNER_REQUESTS.stream().filter(uri -> clickId.equals(query(uri).get("click"))).toList();
  }

  private static void awaitPartnerRequests(String clickId, int count) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (partnerRequests(clickId).size() < count && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertTrue(partnerRequests(clickId).size() >= count, "the affiliate received " + partnerRequests(clickId).size()
        + " request(s) for " + clickId + " within " + WAIT + "; stack output:\n" + stack.output());
  }
}
