package dev.postbackrelay.forwarding;

import dev.postbackrelay.common.Page;
import java.util.Optional;

/**
 * The sent-postbacks log: every attempt to relay a conversion state, newest first per campaign.
 *
 * <p>Contract: {@link #record} is one write request; {@link #latest} is the last attempt recorded
 * for a delivery id; {@link #list} pages newest first and following {@code next} lists each once.
 */
public interface DeliveryLog {

  void record(DeliveryLogEntry entry);

  Optional<DeliveryLogEntry> latest(String deliveryId);

  Page<DeliveryLogEntry> list(DeliveryQuery query);
}
