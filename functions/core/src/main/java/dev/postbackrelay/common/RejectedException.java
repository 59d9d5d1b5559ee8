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
  private final String campaignId;

  public RejectedException(Reason reason) {
    this(reason, reason.sentence(), null, null);
  }

  public RejectedException(Reason reason, String message) {
    this(reason, message, null, null);
  }

  public RejectedException(Reason reason, String message, String parameter, String value) {
    this(reason, message, parameter, value, null);
  }

  private RejectedException(Reason reason, String message, String parameter, String value, String campaignId) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason);
    this.parameter = parameter;
    this.value = value;
    this.campaignId = campaignId;
  }

  /**
   * The same refusal, known to concern {@code campaignId} (the edge had resolved the campaign when
   * it refused): the received-postbacks log files it under that campaign.
   */
  public RejectedException forCampaign(String campaignId) {
    return this.campaignId != null ? this : new RejectedException(reason, getMessage(), parameter, value, campaignId);
  }

  /** The campaign the refused request concerned, when the refusal came after it was resolved; else null. */
  public String campaignId() {
    return campaignId;
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
