package dev.postbackrelay.forwarding;

/** What to do for one delivery: send a request, or skip it for a recorded reason. */
public sealed interface DeliveryPlan {

  /** Send this request. */
  record Send(OutboundRequest request) implements DeliveryPlan {}

  /** Do not send; {@code reason} is recorded in the delivery log (e.g. {@code event_too_old}). */
  record Skip(String reason) implements DeliveryPlan {}
}
