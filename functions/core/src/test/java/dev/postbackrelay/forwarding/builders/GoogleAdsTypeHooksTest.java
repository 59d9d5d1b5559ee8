package dev.postbackrelay.forwarding.builders;

import static dev.postbackrelay.forwarding.builders.Fixtures.platform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.forwarding.DeliveryError;
import dev.postbackrelay.forwarding.DeliveryFailure;
import dev.postbackrelay.forwarding.PostbackSender;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the google_ads type owns besides its request: its settings rule, credentials and reading of a 200. */
class GoogleAdsTypeHooksTest {

  private final GoogleAdsConversionsBuilder google = new GoogleAdsConversionsBuilder();
  private static final Map<String, String> REFRESHABLE = Map.of("customer_id", "1", "conversion_action", "2",
      "developer_token", "d", "client_id", "cid", "client_secret", "cs", "refresh_token", "rt");

  @Test
  void settings_needAnAccessTokenOrWhatRefreshesOne() {
    assertNull(google.settingsProblem(REFRESHABLE));
    assertNull(google.settingsProblem(Map.of("access_token", "t")));
    assertTrue(google.settingsProblem(Map.of("client_id", "cid")).startsWith("settings needs client_id"));
  }

  @Test
  void aRefreshTokenIsTurnedIntoAnAccessToken_andAConfiguredTokenIsUsedAsItIs() {
    Destination refreshable = platform(Destination.Type.GOOGLE_ADS, null, REFRESHABLE);
    assertEquals("fresh-token", google.withCredentials(refreshable, d -> "fresh-token").settings().get("access_token"));
    Destination configured = platform(Destination.Type.GOOGLE_ADS, null, Map.of("access_token", "t"));
    assertSame(configured, google.withCredentials(configured, d -> {
      throw new AssertionError("no token is fetched for a configured one");
    }));
  }

  @Test
  void aRefusalInsideA200_isAPartialFailure_andOtherAnswersAreTheSendersVerdict() {
    Optional<DeliveryFailure> refused = google.readResponse(new PostbackSender.Response(200, 40, null, null,
        "{\"partialFailureError\": {\"message\": \"too old\"}}"));
    assertEquals(DeliveryError.GOOGLE_PARTIAL_FAILURE, refused.orElseThrow().error());
    assertEquals("google_partial_failure: {\"partialFailureError\": {\"message\": \"too old\"}}",
        refused.orElseThrow().recorded());
    assertEquals(Optional.empty(), google.readResponse(new PostbackSender.Response(200, 40, null, null, "{}")));
    assertEquals(Optional.of(DeliveryError.HTTP_STATUS.with("503")),
        google.readResponse(new PostbackSender.Response(503, 40, "http_503", null)));
  }
}
