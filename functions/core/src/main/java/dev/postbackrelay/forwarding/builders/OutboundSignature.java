package dev.postbackrelay.forwarding.builders;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on the requests we send, exactly as {@code docs/outbound-signing.md} documents it
 * for receivers.
 *
 * <p>{@code X-Relay-Signature: v1=<hex>}, the lowercase hex HMAC-SHA256, keyed with the
 * destination's secret as UTF-8, of {@code timestamp + "." + METHOD + "." + url + "." + body}:
 * the {@code X-Relay-Timestamp} value (Unix seconds), the upper-case method, the full URL as sent
 * and the raw body bytes (empty for GET, so the message then ends with a dot). Each attempt is
 * signed with its own timestamp; receivers accept timestamps within {@link #TOLERANCE} of their
 * clock, either side.
 */
public final class OutboundSignature {

  public static final String TIMESTAMP_HEADER = "X-Relay-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Relay-Signature";
  public static final Duration TOLERANCE = Duration.ofMinutes(5);

  private static final String SCHEME = "v1=";

  private OutboundSignature() {}

  /** The lowercase hex HMAC-SHA256 of the signed message (without the {@code v1=} prefix). */
  public static String sign(String secret, long timestamp, String method, String url, byte[] body) {
    return hmacHex(secret, Long.toString(timestamp), method, url, body);
  }

  /** The {@code X-Relay-Signature} header value: {@code v1=} and {@link #sign}. */
  public static String header(String secret, long timestamp, String method, String url, byte[] body) {
    return SCHEME + sign(secret, timestamp, method, url, body);
  }

  /**
   * What a receiver does: true when {@code timestampHeader} is decimal digits within
   * {@link #TOLERANCE} of {@code now} and any {@code v1=} value of the comma-separated
   * {@code signatureHeader} matches (compared in constant time). Other schemes are ignored.
   */
  public static boolean verify(String secret, String timestampHeader, String signatureHeader, String method,
      String url, byte[] body, Instant now) {
    if (secret == null || secret.isEmpty() || timestampHeader == null || signatureHeader == null
        || !timestampHeader.matches("[0-9]{1,18}")) {
      return false;
    }
    long timestamp = Long.parseLong(timestampHeader);
    if (Math.abs(now.getEpochSecond() - timestamp) > TOLERANCE.toSeconds()) {
      return false;
    }
    byte[] expected = hmacHex(secret, timestampHeader, method, url, body).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String part : signatureHeader.split(",")) {
      String candidate = part.strip();
      if (candidate.startsWith(SCHEME)) {
        byte[] offered = candidate.substring(SCHEME.length()).toLowerCase(Locale.ROOT)
            .getBytes(StandardCharsets.US_ASCII);
        match |= MessageDigest.isEqual(expected, offered);
      }
    }
    return match;
  }

  private static String hmacHex(String secret, String timestamp, String method, String url, byte[] body) {
    ByteArrayOutputStream message = new ByteArrayOutputStream(128 + (body == null ? 0 : body.length));
    message.writeBytes((timestamp + "." + method.toUpperCase(Locale.ROOT) + "." + url + ".")
        .getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      message.writeBytes(body);
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.toByteArray()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
