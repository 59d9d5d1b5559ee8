package dev.postbackrelay.attribution;

import dev.postbackrelay.common.ConversionStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One notification of one conversion state to one destination: the delivery queue's message.
 * Its identity, and so its {@code Idempotency-Key}, is (click, conversion key, destination,
 * status): the same on every retry and replay, different for each status change.
 *
 * @param conversionKey the conversion's key within the click ({@code Conversion.key})
 * @param replayedAt when an operator re-drove it from the dead-letter queue: attempts before this
 *     no longer count against the retry schedule; null for a first run
 */
public record Delivery(String clickId, String conversionKey, String destinationId, ConversionStatus status,
    Instant replayedAt) {

  public String idempotencyKey() {
    return UUID.nameUUIDFromBytes((clickId + "|" + conversionKey + "|" + destinationId + "|" + status.code())
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  public Delivery replayed(Instant at) {
    return new Delivery(clickId, conversionKey, destinationId, status, at);
  }
}
