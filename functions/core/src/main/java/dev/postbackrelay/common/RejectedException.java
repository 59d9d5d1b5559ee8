package dev.postbackrelay.common;

import java.util.Objects;

/**
 * Thrown when a request is refused for a reason the caller can act on; carries the {@link Reason}
 * and, for macro and parameter problems, the offending parameter and the value seen.
 */
public class RejectedException extends RuntimeException {

  private final transient Reason reason;
  private final String parameter;
  private final String value;

  public RejectedException(Reason reason) {
    this(reason, reason.sentence(), null, null);
  }

  public RejectedException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  public RejectedException(Reason reason, String message, String parameter, String value) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason);
    this.parameter = parameter;
    this.value = value;
  }

  public Reason reason() {
    return reason;
  }

  /** The parameter at fault, or null. */
  public String parameter() {
    return parameter;
  }

  /** The literal value seen (never a secret), or null. */
  public String value() {
    return value;
  }
}
