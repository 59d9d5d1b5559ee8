package dev.postbackrelay.localruntime.faults;

/** What a {@link FaultProxy} does to a request a {@link FaultRule} matches. */
public enum Fault {
  /** The proxy's port refuses connections (and drops open ones) for the rule's duration; share and operation ignored. */
  REFUSE,
  /** The request is read and never answered: the connection is held until the rule ends (at most 30 s), then closed. */
  HANG,
  /** The request waits {@code latency_ms} before it is forwarded. */
  LATENCY,
  /** The stand-in's answer is sent with its full Content-Length but only the first half of its body, then closed. */
  CUT,
  /** The connection is reset (RST) without an answer. */
  RESET,
  /** DynamoDB's {@code 400 ThrottlingException}, without forwarding. */
  THROTTLE,
  /** DynamoDB's {@code 400 ProvisionedThroughputExceededException}, without forwarding. */
  THROUGHPUT_EXCEEDED,
  /** A {@code 500 InternalFailure} (SQS's or DynamoDB's 5xx), without forwarding. */
  SERVER_ERROR,
  /**
   * The calling function's execution environment is killed (its runtime process, SIGKILL) while the
   * request is held, and the request is never forwarded: the function dies just before that call.
   */
  KILL
}
