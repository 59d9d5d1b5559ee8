package dev.postbackrelay.forwarding;

import java.time.Duration;

/** What became of one run of a delivery: a normal outcome, not an error. */
public sealed interface DeliveryOutcome {

  /** The destination has it (now, or already before). */
  record Delivered() implements DeliveryOutcome {}

  /** Nothing to send, for a recorded reason (e.g. an event too old for the platform). */
  record Skipped(String reason) implements DeliveryOutcome {}

  /** Not delivered yet; run it again after {@code delay}. */
  record RetryAfter(Duration delay) implements DeliveryOutcome {}

  /** Given up: the schedule is exhausted or the failure is permanent; goes to the dead-letter queue. */
  record Dead(String reason) implements DeliveryOutcome {}
}
