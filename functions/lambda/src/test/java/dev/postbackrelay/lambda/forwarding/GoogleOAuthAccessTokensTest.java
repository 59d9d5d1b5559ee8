package dev.postbackrelay.lambda.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.lambda.Partner;
import dev.postbackrelay.net.OutboundGuard;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token cache never hands one destination's token to a request meant for other credentials or another token URL. */
class GoogleOAuthAccessTokensTest {

  private static Destination google(String id, Map<String, String> overrides) {
    Map<String, String> settings = new HashMap<>(Map.of("customer_id", "1234567890", "conversion_action", "987",
        "developer_token", "dev-token", "client_id", "client-1", "client_secret", "shh", "refresh_token", "1//refresh"));
    settings.putAll(overrides);
    return new Destination(id, Destination.Type.GOOGLE_ADS, null, null, "POST", null, true, null, null, null, null,
        settings);
  }

  @Test
  void sameClientAndRefreshToken_butAnotherTokenUrlOrSecret_isNeverServedFromTheOthersCache() throws Exception {
    try (Partner first = new Partner(); Partner second = new Partner(); Partner third = new Partner()) {
      first.respondWithBody("{\"access_token\":\"token-of-first\",\"expires_in\":3599}");
      second.respondWithBody("{\"access_token\":\"token-of-second\",\"expires_in\":3599}");
      third.respondWithBody("{\"access_token\":\"token-of-third\",\"expires_in\":3599}");
      var tokens = new GoogleOAuthAccessTokens(new PinnedHttpClient(Duration.ofSeconds(1), Duration.ofSeconds(2)),
          new OutboundGuard(true), Clock.systemUTC());

      String a = tokens.accessToken(google("g1", Map.of("token_url", first.url("/token"))));
      String b = tokens.accessToken(google("g1", Map.of("token_url", second.url("/token"))));
      String c = tokens.accessToken(google("g1", Map.of("token_url", third.url("/token"), "client_secret", "other")));
      String again = tokens.accessToken(google("g1", Map.of("token_url", first.url("/token"))));

      assertEquals("token-of-first", a);
      assertEquals("token-of-second", b, "another token URL gets its own token");
      assertEquals("token-of-third", c, "another client secret gets its own token");
      assertEquals("token-of-first", again, "the same destination and credentials are served from the cache");
      assertEquals(1, first.received().size());
      assertEquals(1, second.received().size());
      assertEquals(1, third.received().size());
    }
  }
}
