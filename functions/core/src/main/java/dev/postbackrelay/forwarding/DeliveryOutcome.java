package dev.postbackrelay.forwarding;

import java.time.Duration;

/** What became of one run of a delivery: a normal outcome, not an error. */
public sealed interface DeliveryOutcome {

  /** The destination has it (now, or already before). */
  record Delivered() implements DeliveryOutcome {}

  /** Nothing to send, for a recorded reason (e.g. an event too old for the platform). */
  record Skipped(DeliveryFailure failure) implements DeliveryOutcome {

    /** The outcome {@code reason} (a {@link DeliveryFailure#reason()}) stands for. */
    public Skipped(String reason) {
      this(DeliveryFailure.parse(reason).orElseThrow(() -> new IllegalArgumentException("not a delivery error")));
    }

    /** The written reason: {@code event_too_old: ...}. */
    public String reason() {
      return failure.reason();
    }
  }

  /** Not delivered yet; run it again after {@code delay}. */
  record RetryAfter(Duration delay) implements DeliveryOutcome {}

  /**
   * Given up: the schedule is exhausted or the failure is permanent; goes to the dead-letter queue
   * with its {@link #reason()}.
   */
  record Dead(DeliveryFailure failure) implements DeliveryOutcome {

    /** The outcome {@code reason} (a {@link DeliveryFailure#reason()}, as in {@code dead_reason}) stands for. */
    public Dead(String reason) {
      this(DeliveryFailure.parse(reason).orElseThrow(() -> new IllegalArgumentException("not a delivery error")));
    }

    /** The written reason: {@code retries_exhausted: http_503}. */
    public String reason() {
      return failure.reason();
    }
  }
}
