package dev.postbackrelay.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@QuarkusTest
@TestProfile(Profiles.AdminBehindProxies.class)
class DependencyOutageAdminTest {

  @BeforeEach
  void warmUp() {
    restore();
    Outages.warmUp(admin("GET", null));
  }

  @AfterEach
  void restore() {
    StandInProxyResource.forwardAll();
  }

  @ParameterizedTest
  @EnumSource(value = StandInProxy.Mode.class, names = {"HANG", "REFUSE"})
  void storeDown_adminReadAnswers503Within3s(StandInProxy.Mode mode) {
    StandInProxyResource.dynamo().mode(mode);

    Outages.assertFastUnavailable(admin("GET", null), "store_unavailable");
  }

  @ParameterizedTest
  @EnumSource(value = StandInProxy.Mode.class, names = {"HANG", "REFUSE"})
  void storeDown_adminWriteAnswers503Within3s(StandInProxy.Mode mode) {
    StandInProxyResource.dynamo().mode(mode);

    Outages.assertFastUnavailable(admin("PUT", "{\"landing_url\":\"https://shop.example.com/\","
        + "\"postback_token\":\"token-123456\",\"affiliates\":{\"a1\":{}}}"), "store_unavailable");
  }

  @ParameterizedTest
  @EnumSource(value = StandInProxy.Mode.class, names = {"HANG", "REFUSE"})
  void queueDown_adminReplayAnswers503Within3s(StandInProxy.Mode mode) {
    StandInProxyResource.sqs().mode(mode);

    ObjectNode event = Events.http("POST", "POST /admin/deliveries/replay", "/admin/deliveries/replay", "max=5");
    ((ObjectNode) event.get("headers")).put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    Outages.assertFastUnavailable(event, "store_unavailable");
  }

  private static ObjectNode admin(String method, String body) {
    ObjectNode event = Events.http(method, method + " /admin/campaigns/{campaign_id}", "/admin/campaigns/c-outage", "");
    event.putObject("pathParameters").put("campaign_id", "c-outage");
    ObjectNode headers = (ObjectNode) event.get("headers");
    headers.put("content-type", "application/json");
    headers.put("authorization", "Bearer " + LocalAwsResource.ADMIN_TOKEN);
    if (body != null) {
      event.put("body", body);
    }
    return event;
  }
}
