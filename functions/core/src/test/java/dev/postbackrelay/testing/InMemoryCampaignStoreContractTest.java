package dev.postbackrelay.testing;

import dev.postbackrelay.campaign.CampaignStore;

/** One store for the whole class, as a shared real table would be. */
class InMemoryCampaignStoreContractTest extends CampaignStoreContract {
  private static final InMemoryCampaignStore STORE = new InMemoryCampaignStore();

  @Override
  protected CampaignStore newStore() {
    return STORE;
  }
}
