package dev.postbackrelay.lambda.store;

import dev.postbackrelay.lambda.LocalAws;
import dev.postbackrelay.testing.CampaignStoreContract;

/** The CampaignStore contract, held by the DynamoDB adapter against DynamoDB Local. */
class DynamoCampaignStoreContractTest extends CampaignStoreContract {

  private final LocalAws aws = LocalAws.shared();

  @Override
  protected dev.postbackrelay.campaign.CampaignStore newStore() {
    return new DynamoCampaignStore(aws.dynamo(), "CampaignsTable", java.time.Duration.ZERO, java.time.Clock.systemUTC());
  }
}
