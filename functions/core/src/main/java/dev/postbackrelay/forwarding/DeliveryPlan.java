package dev.postbackrelay.forwarding;

/** What to do for one delivery: send a request, or skip it for a recorded reason. */
public sealed interface DeliveryPlan {

  /** Send this request. */
  record Send(OutboundRequest request) implements DeliveryPlan {}

  /**
   * Do not send; the failure (a {@link DeliveryError.Disposition#SKIP} error such as
   * {@link DeliveryError#EVENT_TOO_OLD}) is recorded in the delivery log.
   */
  record Skip(DeliveryFailure failure) implements DeliveryPlan {

    public Skip {
      if (failure.disposition() != DeliveryError.Disposition.SKIP) {
        throw new IllegalArgumentException(failure.error() + " is not a skip");
      }
    }

    /** The written reason: {@code missing_setting: pixel_id}. */
    public String reason() {
      return failure.reason();
    }
  }
}
