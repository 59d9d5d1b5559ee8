package dev.postbackrelay.forwarding;

import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.common.ConversionStatus;
import java.time.Instant;
import java.util.Locale;

/**
 * One attempt to relay a conversion state to a destination, as the sent-postbacks log shows it:
 * what was sent (secret values masked), what came back, and what follows.
 *
 * @param deliveryId the delivery's identity, its {@code Idempotency-Key}: the same on every attempt
 * @param attempt 1 for the first attempt of this delivery (since its last replay)
 * @param url the request's URL with secret values masked; null when nothing was sent
 * @param body the start of a POST body, secret values masked; null for none
 * @param response the start of the response body (2xx only), or null
 * @param nextRetryAt when the next attempt is due, for {@link Outcome#RETRYING}
 * @param reason the delivery error as recorded on the conversion, null when delivered
 * @param possibleRepeat this attempt followed a run that was stopped (killed, timed out) after it may
 *     have called the destination and before it recorded what happened: the destination may have
 *     received this delivery before, under the same {@code Idempotency-Key}
 */
public record DeliveryLogEntry(String deliveryId, String campaignId, String clickId, String conversionKey,
    String destination, ConversionStatus status, int attempt, Instant at, Outcome outcome, String method, String url,
    String body, int httpStatus, String response, long latencyMillis, Instant nextRetryAt, String reason,
    boolean possibleRepeat) {

  /** An attempt that is no possible repeat. */
  public DeliveryLogEntry(String deliveryId, String campaignId, String clickId, String conversionKey,
      String destination, ConversionStatus status, int attempt, Instant at, Outcome outcome, String method, String url,
      String body, int httpStatus, String response, long latencyMillis, Instant nextRetryAt, String reason) {
    this(deliveryId, campaignId, clickId, conversionKey, destination, status, attempt, at, outcome, method, url, body,
        httpStatus, response, latencyMillis, nextRetryAt, reason, false);
  }

  /** Bodies and responses are kept up to this many characters. */
  public static final int MAX_EXCERPT = 2048;

  /** What the attempt came to. */
  public enum Outcome {
    DELIVERED, RETRYING, DEAD, SKIPPED, REDIRECT_NOT_FOLLOWED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The delivery this attempt belongs to, as the delivery queue carries it. */
  public Delivery delivery() {
    return new Delivery(clickId, conversionKey, destination, status, null);
  }
}
