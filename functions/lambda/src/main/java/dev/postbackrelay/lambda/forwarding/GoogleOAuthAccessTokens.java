package dev.postbackrelay.lambda.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.forwarding.AccessTokens;
import dev.postbackrelay.forwarding.OutboundRequest;
import dev.postbackrelay.net.OutboundGuard;
import dev.postbackrelay.net.UrlTemplate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Google OAuth access tokens from a destination's {@code client_id}, {@code client_secret} and
 * {@code refresh_token} (the refresh-token grant), cached until a minute before they expire under
 * the destination's id and a SHA-256 of its token URL and every credential, so that a token is never
 * handed to a destination with other credentials or another token endpoint (and no secret is kept as
 * a key). The token endpoint ({@code token_url}, default Google's) is called
 * through the same outbound guard and pinned client as every delivery.
 */
public final class GoogleOAuthAccessTokens implements AccessTokens {

  static final String DEFAULT_TOKEN_URL = "https://oauth2.googleapis.com/token";
  private static final Duration MARGIN = Duration.ofMinutes(1);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private record Token(String value, Instant refreshAfter) {}

  private final PinnedHttpClient http;
  private final OutboundGuard guard;
  private final Clock clock;
  private final Map<String, Token> cache = new ConcurrentHashMap<>();

  public GoogleOAuthAccessTokens(PinnedHttpClient http, OutboundGuard guard, Clock clock) {
    this.http = http;
    this.guard = guard;
    this.clock = clock;
  }

  @Override
  public String accessToken(Destination destination) {
    Map<String, String> s = destination.settings();
    String tokenUrl = s.getOrDefault("token_url", DEFAULT_TOKEN_URL);
    String key = cacheKey(destination.id(), tokenUrl, s.get("client_id"), s.get("client_secret"), s.get("refresh_token"));
    Instant now = clock.instant();
    Token cached = cache.get(key);
    if (cached != null && now.isBefore(cached.refreshAfter())) {
      return cached.value();
    }
    URI url = URI.create(tokenUrl);
    InetAddress address = guard.checkAndResolve(url);
    String form = "grant_type=refresh_token&client_id=" + UrlTemplate.encode(s.get("client_id"))
        + "&client_secret=" + UrlTemplate.encode(s.get("client_secret"))
        + "&refresh_token=" + UrlTemplate.encode(s.get("refresh_token"));
    PinnedHttpClient.Result result = http.send(new OutboundRequest("POST", url,
        Map.of("Content-Type", "application/x-www-form-urlencoded", "User-Agent", "postback-relay/1"),
        form.getBytes(StandardCharsets.UTF_8)), address);
    if (result.error() != null || result.body() == null) {
      throw new IllegalStateException("token endpoint answered " + result.httpStatus() + " " + result.error());
    }
    try {
      JsonNode json = MAPPER.readTree(result.body());
      String token = json.path("access_token").asText("");
      if (token.isEmpty()) {
        throw new IllegalStateException("token endpoint gave no access_token");
      }
      long lifetime = json.path("expires_in").asLong(3600);
      cache.put(key, new Token(token, now.plusSeconds(lifetime).minus(MARGIN)));
      return token;
    } catch (IOException e) {
      throw new IllegalStateException("token endpoint answered something else than JSON", e);
    }
  }

  /** The destination id, then SHA-256 over each part, length-prefixed so no two part lists collide. */
  static String cacheKey(String destinationId, String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(part == null ? -1 : bytes.length).array());
        sha.update(bytes);
      }
      return destinationId + "|" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
