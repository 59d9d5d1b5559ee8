package dev.postbackrelay.postback;

import dev.postbackrelay.common.QueueUnavailableException;

/**
 * The durable hand-off between accepting a postback and attributing it.
 *
 * <p>Contract: when {@link #send} returns, the postback is durably stored and will be delivered
 * to the consumer at least once; otherwise it throws {@link QueueUnavailableException} and the
 * caller must not acknowledge the postback.
 */
public interface ConversionQueue {

  void send(Postback postback);
}
