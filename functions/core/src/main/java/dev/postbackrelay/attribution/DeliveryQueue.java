package dev.postbackrelay.attribution;

import java.util.List;

/**
 * The queue that carries deliveries from attribution to the senders, one message per delivery,
 * so that a slow or failing destination never holds up attribution or another destination.
 *
 * <p>Contract: when {@link #send} returns, every delivery is durably queued (at least once);
 * otherwise it throws and the caller retries. Re-sending a delivery is harmless: the sender
 * claims each delivery before calling out and never repeats a successful one.
 */
public interface DeliveryQueue {

  void send(List<Delivery> deliveries);
}
