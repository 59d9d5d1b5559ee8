package dev.postbackrelay.testing;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Campaigns in a map: {@link #find} always sees the last {@link #put}. */
public final class InMemoryCampaignStore implements CampaignStore {

  private final Map<String, Campaign> campaigns = new ConcurrentHashMap<>();

  public InMemoryCampaignStore(Campaign... initial) {
    for (Campaign c : initial) {
      put(c);
    }
  }

  @Override
  public Optional<Campaign> find(String campaignId) {
    return campaignId == null ? Optional.empty() : Optional.ofNullable(campaigns.get(campaignId));
  }

  @Override
  public void put(Campaign campaign) {
    campaigns.put(campaign.id(), campaign);
  }
}
