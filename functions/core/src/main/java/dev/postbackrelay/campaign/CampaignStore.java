package dev.postbackrelay.campaign;

import java.util.Optional;

/**
 * Where campaigns live.
 *
 * <p>Contract: {@link #find} returns what the last completed {@link #put} stored for that id
 * (adapters may serve from a short-lived cache, stated in their Javadoc); {@link #put} replaces
 * the whole campaign.
 */
public interface CampaignStore {

  Optional<Campaign> find(String campaignId);

  void put(Campaign campaign);
}
