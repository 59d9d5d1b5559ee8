package dev.postbackrelay.attribution;

import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.common.TimeRange;
import java.time.Instant;

/** A question to the conversion list: one campaign's conversions, newest first, by when they were first counted. */
public record ConversionQuery(String campaignId, String affiliateId, ConversionStatus status, String event,
    TimeRange range, int limit, String cursor) {

  public ConversionQuery {
    if (campaignId == null || campaignId.isBlank()) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "campaign_id is required: conversions are listed per campaign.", "campaign_id", null);
    }
    Page.checkedLimit(limit);
  }

  /** The one definition of what the filters mean. */
  public boolean matches(Conversion c, Instant now) {
    return campaignId.equals(c.campaignId()) && (affiliateId == null || affiliateId.equals(c.affiliateId()))
        && (status == null || status == c.status()) && (event == null || event.equals(c.event()))
        && range.contains(c.createdAt(), now);
  }
}
