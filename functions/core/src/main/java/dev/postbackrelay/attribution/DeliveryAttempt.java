package dev.postbackrelay.attribution;

import dev.postbackrelay.common.ConversionStatus;
import java.time.Instant;

/**
 * One attempt to forward a conversion.
 *
 * @param target who it was for, e.g. {@code affiliate:a1}
 * @param status the conversion status it announced
 * @param httpStatus the partner's HTTP status, or 0 when none was received
 * @param error why it failed (time-out, refused address...), or null
 */
public record DeliveryAttempt(String target, ConversionStatus status, Instant at, int httpStatus, long latencyMillis,
    String error) {

  /** Delivered: a 2xx without an error (an API may refuse inside a 200, see Google Ads). */
  public boolean ok() {
    return httpStatus >= 200 && httpStatus < 300 && error == null;
  }
}
