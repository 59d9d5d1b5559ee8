package dev.postbackrelay.lambda;

import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.ClickIds;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@QuarkusTest
@TestProfile(Profiles.PostbackBehindProxies.class)
class DependencyOutagePostbackTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickIds clickIds;

  private String query;

  @BeforeEach
  void campaign() {
    restore();
    campaigns.put(Campaign.simple("c-outage", "https://shop.example.com/", "token-123456",
        Map.of("a1", Affiliate.withPostbackUrl(null))));
    query = "campaign_id=c-outage&click_id=" + clickIds.issue(Instant.now()) + "&token=token-123456&event=sale";
    Outages.warmUp(Events.http("GET", "GET /postback", "/postback", query + "&txid=warm-up"));
  }

  @AfterEach
  void restore() {
    StandInProxyResource.forwardAll();
  }

  @ParameterizedTest
  @EnumSource(value = StandInProxy.Mode.class, names = {"HANG", "REFUSE"})
  void queueDown_postbackAnswers503QueueUnavailableWithin3s(StandInProxy.Mode mode) {
    StandInProxyResource.sqs().mode(mode);

    Outages.assertFastUnavailable(Events.http("GET", "GET /postback", "/postback", query), "queue_unavailable");
  }

  @ParameterizedTest
  @EnumSource(value = StandInProxy.Mode.class, names = {"HANG", "REFUSE"})
  void storeDown_postbackAnswers503StoreUnavailableWithin3s(StandInProxy.Mode mode) {
    StandInProxyResource.dynamo().mode(mode);

    Outages.assertFastUnavailable(Events.http("GET", "GET /postback", "/postback", query), "store_unavailable");
  }
}
