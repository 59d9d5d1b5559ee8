package dev.postbackrelay.postback;

import dev.postbackrelay.Params;
import dev.postbackrelay.forwarding.UrlTemplate;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The optional inbound HMAC signature, as documented in {@code docs/postback-signing.md}.
 *
 * <p>Canonical string: the upper-case method, a newline, the path, a newline, then every parameter
 * except {@code sig}, sorted by lower-cased name, as {@code name=value} with RFC 3986 encoding,
 * joined by {@code &}. The signature is the lower-case hex HMAC-SHA256 of it under the campaign's
 * signing secret; {@code ts} (unix seconds) must be among the parameters and within
 * {@link #WINDOW} of now.
 */
public final class PostbackSignature {

  public static final Duration WINDOW = Duration.ofMinutes(5);

  private PostbackSignature() {}

  public static String canonical(String method, String path, Params params) {
    Map<String, String> sorted = new TreeMap<>(params.asMap());
    sorted.remove("sig");
    String query = sorted.entrySet().stream()
        .map(e -> UrlTemplate.encode(e.getKey()) + "=" + UrlTemplate.encode(e.getValue()))
        .collect(Collectors.joining("&"));
    return method.toUpperCase(java.util.Locale.ROOT) + "\n" + path + "\n" + query;
  }

  public static String sign(String secret, String canonical) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** Whether the request carries a valid, fresh signature. Compares in constant time. */
  public static boolean verify(String secret, InboundPostback in, Instant now) {
    String sig = in.params().first("sig").orElse("");
    String ts = in.params().first("ts").orElse("");
    long seconds;
    try {
      seconds = Long.parseLong(ts);
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - seconds) > WINDOW.toSeconds()) {
      return false;
    }
    String expected = sign(secret, canonical(in.method(), in.path(), in.params()));
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        sig.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
  }
}
