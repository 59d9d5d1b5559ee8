package dev.postbackrelay.click;

import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.common.TimeRange;
import java.time.Instant;

/** A question to the click list: one campaign's clicks, newest first, narrowed by affiliate and time. */
public record ClickQuery(String campaignId, String affiliateId, TimeRange range, int limit, String cursor) {

  public ClickQuery {
    if (campaignId == null || campaignId.isBlank()) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "campaign_id is required: clicks are listed per campaign.",
          "campaign_id", null);
    }
    Page.checkedLimit(limit);
  }

  /** The one definition of what the filters mean. */
  public boolean matches(Click click, Instant now) {
    return campaignId.equals(click.campaignId()) && (affiliateId == null || affiliateId.equals(click.affiliateId()))
        && range.contains(click.createdAt(), now);
  }
}
