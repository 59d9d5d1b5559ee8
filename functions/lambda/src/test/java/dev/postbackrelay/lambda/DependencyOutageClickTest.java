package dev.postbackrelay.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@QuarkusTest
@TestProfile(Profiles.ClickBehindProxies.class)
class DependencyOutageClickTest {

  @Inject
  CampaignStore campaigns;

  @BeforeEach
  void campaign() {
    StandInProxyResource.dynamo().mode(StandInProxy.Mode.FORWARD);
    campaigns.put(Campaign.simple("c-outage", "https://shop.example.com/lp?cid={click_id}", "token-123456",
        Map.of("a1", Affiliate.withPostbackUrl(null))));
    Outages.warmUp(click());
  }

  @AfterEach
  void restore() {
    StandInProxyResource.dynamo().mode(StandInProxy.Mode.FORWARD);
  }

  @ParameterizedTest
  @EnumSource(value = StandInProxy.Mode.class, names = {"HANG", "REFUSE"})
  void storeDown_clickAnswers503StoreUnavailableWithin3s(StandInProxy.Mode mode) {
    StandInProxyResource.dynamo().mode(mode);

    Outages.assertFastUnavailable(click(), "store_unavailable");
  }

  private static ObjectNode click() {
    return Events.http("GET", "GET /click", "/click", "campaign_id=c-outage&affiliate_id=a1");
  }
}
