package dev.postbackrelay.forwarding;

import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.common.TimeRange;
import java.time.Instant;

/** A question to the sent-postbacks log: one campaign's attempts, newest first, by destination, outcome and time. */
public record DeliveryQuery(String campaignId, String destination, DeliveryLogEntry.Outcome outcome, TimeRange range,
    int limit, String cursor) {

  public DeliveryQuery {
    if (campaignId == null || campaignId.isBlank()) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "campaign_id is required: deliveries are listed per campaign.",
          "campaign_id", null);
    }
    Page.checkedLimit(limit);
  }

  /** The one definition of what the filters mean. */
  public boolean matches(DeliveryLogEntry e, Instant now) {
    return campaignId.equals(e.campaignId()) && (destination == null || destination.equals(e.destination()))
        && (outcome == null || outcome == e.outcome()) && range.contains(e.at(), now);
  }
}
