package dev.postbackrelay.forwarding;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.campaign.Destination;
import dev.postbackrelay.click.Click;
import java.time.Instant;

/**
 * Turns a conversion into the request one kind of destination expects.
 *
 * <p>Contract: pure and deterministic (same inputs, same request, except the signature timestamp
 * taken from {@code now}); never does I/O; never throws for data it can't use, but returns a
 * {@link DeliveryPlan.Skip} with a reason; always sets the {@code Idempotency-Key} header to
 * {@code idempotencyKey}.
 */
public interface RequestBuilder {

  DeliveryPlan plan(Destination destination, Conversion conversion, Click click, String idempotencyKey, Instant now);
}
