package dev.postbackrelay.postback;

import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The optional inbound HMAC signature, exactly as {@code docs/postback-signing.md} tells networks
 * to compute it.
 *
 * <p>String to sign: the upper-case method, a line feed, the literal path {@code /postback}, a
 * line feed, then every parameter except {@code sig} (with {@code ts}), as name (ASCII letters
 * lower-cased) and decoded value, both RFC 3986 percent-encoded, sorted by encoded name then encoded value, joined
 * as {@code name=value} with {@code &}; a repeated name gives one pair per occurrence. The
 * signature is the hex HMAC-SHA256 under the campaign's signing secret, and {@code ts} (unix
 * seconds) must be within {@link #WINDOW} of now.
 */
public final class PostbackSignature {

  public static final Duration WINDOW = Duration.ofMinutes(5);
  static final String PATH = "/postback";

  private PostbackSignature() {}

  public static String stringToSign(String method, List<Map.Entry<String, String>> pairs) {
    String query = pairs.stream()
        .filter(p -> !asciiLower(p.getKey()).equals(Param.SIG.canonical()))
        .map(p -> Map.entry(rfc3986(asciiLower(p.getKey())), rfc3986(p.getValue())))
        .sorted(Comparator.<Map.Entry<String, String>, String>comparing(Map.Entry::getKey)
            .thenComparing(Map.Entry::getValue))
        .map(p -> p.getKey() + "=" + p.getValue())
        .collect(Collectors.joining("&"));
    return method.toUpperCase(Locale.ROOT) + "\n" + PATH + "\n" + query;
  }

  public static String sign(String secret, String stringToSign) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * Checks the request's signature.
   *
   * @return empty when valid and fresh; otherwise a sentence saying which check failed
   */
  public static Optional<String> problem(String secret, InboundPostback in, Instant now) {
    Params params = in.params();
    Optional<String> sig = params.first(Param.SIG);
    Optional<String> ts = params.first(Param.TS);
    if (sig.isEmpty() || ts.isEmpty()) {
      return Optional.of("The request must carry both ts and sig: this campaign requires signed postbacks.");
    }
    long seconds;
    try {
      seconds = Long.parseLong(ts.get());
    } catch (NumberFormatException e) {
      return Optional.of("ts must be the unix time in seconds.");
    }
    long nowSeconds = now.getEpochSecond();
    if (seconds < nowSeconds - WINDOW.toSeconds() || seconds > nowSeconds + WINDOW.toSeconds()) {
      long skew = seconds > nowSeconds ? Math.min(seconds - nowSeconds, 99_999_999_999L) : Math.min(nowSeconds - seconds, 99_999_999_999L);
      return Optional.of("ts is " + skew + " seconds " + (seconds > nowSeconds ? "ahead of" : "behind")
          + " our clock; it must be within " + WINDOW.toSeconds() + " seconds.");
    }
    String expected = sign(secret, stringToSign(in.method(), params.pairs()));
    boolean match = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        sig.get().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    return match ? Optional.empty()
        : Optional.of("The signature does not match: see docs/postback-signing.md for the string to sign.");
  }

  /** Whether the request carries a valid, fresh signature. */
  public static boolean verify(String secret, InboundPostback in, Instant now) {
    return problem(secret, in, now).isEmpty();
  }

  /**
   * Only {@code A-Z} lower-cased, as {@link dev.postbackrelay.common.Params} compares names: with Unicode
   * rules {@code "\u017Fig"} (long s) would equal {@code sig} and escape the signature.
   */
  static String asciiLower(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return out.toString();
  }

  /** RFC 3986 unreserved characters kept, every other UTF-8 byte as upper-case %XX. */
  static String rfc3986(String value) {
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }
}
