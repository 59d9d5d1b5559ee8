package dev.postbackrelay.attribution;

import dev.postbackrelay.common.Reason;
import dev.postbackrelay.postback.Postback;
import java.time.Instant;

/** A postback as received, and the decision made about it. */
public record PostbackRecord(Postback postback, Decision decision, Instant decidedAt) {

  /**
   * Whether the log also keeps this entry under its click: when it named one, unless it named
   * another campaign than the click's ({@link Reason#CAMPAIGN_MISMATCH}). That click belongs to a
   * campaign the sender did not authenticate for, so such a postback writes nothing keyed by it.
   */
  public boolean indexedUnderClick() {
    return postback.clickId() != null && decision.reason() != Reason.CAMPAIGN_MISMATCH;
  }
}
