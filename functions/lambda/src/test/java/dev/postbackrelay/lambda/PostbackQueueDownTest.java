package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postbackrelay.campaign.Affiliate;
import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.ClickIds;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(Profiles.PostbackQueueDown.class)
class PostbackQueueDownTest {

  @Inject
  CampaignStore campaigns;
  @Inject
  ClickIds clickIds;

  @Test
  void queueUnavailable_is503NeverAcknowledged() {
    campaigns.put(Campaign.simple("c-down", "https://shop.example.com/", "token-123456",
        Map.of("a1", Affiliate.withPostbackUrl(null))));
    String clickId = clickIds.issue(Instant.now());

    JsonNode response = Events.invoke(Events.http("GET", "GET /postback", "/postback",
        "campaign_id=c-down&click_id=" + clickId + "&token=token-123456&event=sale"));

    assertEquals(503, response.path("statusCode").asInt());
    assertEquals("queue_unavailable", Events.body(response).path("error").asText());
  }

  @Test
  void signedPostbackThatCouldNotBeQueued_leavesNoReplayRecord_soTheSenderCanRetryIt() throws Exception {
    String secret = "signing-secret-0123456789";
    campaigns.put(dev.postbackrelay.testing.CampaignBuilder.campaign("c-down-signed").signingSecret(secret)
        .affiliate("a1", (String) null).build());
    String clickId = clickIds.issue(Instant.now());
    long ts = Instant.now().getEpochSecond();
    var params = new java.util.LinkedHashMap<String, String>();
    params.put("campaign_id", "c-down-signed");
    params.put("click_id", clickId);
    params.put("ts", Long.toString(ts));
    String sig = dev.postbackrelay.postback.PostbackSignature.sign(secret,
        dev.postbackrelay.postback.PostbackSignature.stringToSign("GET", dev.postbackrelay.common.Params.of(params).pairs()));
    String query = "campaign_id=c-down-signed&click_id=" + clickId + "&ts=" + ts + "&sig=" + sig;

    for (int attempt = 0; attempt < 2; attempt++) {
      JsonNode response = Events.invoke(Events.http("GET", "GET /postback", "/postback", query));
      assertEquals("queue_unavailable", Events.body(response).path("error").asText(), "a retry is not a replay: " + response);
    }
    String key = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(("c-down-signed\n" + sig).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try (var dynamo = LocalAwsResource.aws().dynamo()) {
      var item = dynamo.getItem(b -> b.tableName("TrackingTable").consistentRead(true).key(Map.of(
          "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("replay#" + key),
          "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("replay"))));
      org.junit.jupiter.api.Assertions.assertFalse(item.hasItem() && !item.item().isEmpty(), "the replay record was released");
    }
  }
}
