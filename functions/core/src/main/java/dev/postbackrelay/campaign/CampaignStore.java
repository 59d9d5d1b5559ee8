package dev.postbackrelay.campaign;

import dev.postbackrelay.common.Page;
import java.util.Optional;

/**
 * Where campaigns live.
 *
 * <p>Contract: {@link #find} returns what the last completed {@link #put} stored for that id
 * (adapters may serve from a short-lived cache, stated in their Javadoc); {@link #put} replaces
 * the whole campaign, and it remembers when the campaign was first and last stored.
 */
public interface CampaignStore {

  Optional<Campaign> find(String campaignId);

  void put(Campaign campaign);

  /**
   * Campaigns, most recently changed first, {@code limit} at a time; {@code status} null lists
   * every status. Following {@code next} lists each campaign once (a campaign changed during the
   * walk moves to the front and is not seen again in it).
   */
  Page<CampaignSummary> list(Campaign.Status status, int limit, String cursor);
}
