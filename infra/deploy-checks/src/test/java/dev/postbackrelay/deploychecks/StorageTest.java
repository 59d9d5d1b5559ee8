package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageTest {

  final Template template = Template.get();

  @Test
  void tablesBillPerRequestAndKeepPointInTimeRecovery() {
    List<String> tables = template.idsOfType("AWS::DynamoDB::Table");
    assertFalse(tables.isEmpty());
    for (String table : tables) {
      Map<String, Object> props = template.properties(table);
      assertEquals("PAY_PER_REQUEST", props.get("BillingMode"), table);
      assertEquals(Map.of("PointInTimeRecoveryEnabled", true), props.get("PointInTimeRecoverySpecification"), table);
    }
  }

  @Test
  void trackingDataExpiresThroughTtlOnExpiresAt() {
    // campaigns are configuration and never expire; clicks, conversions and the postback log do
    assertEquals(Map.of("AttributeName", "expires_at", "Enabled", true),
        template.properties("TrackingTable").get("TimeToLiveSpecification"));
  }

  @Test
  void tablesCannotBeDeletedOutsideDev() {
    for (String table : template.idsOfType("AWS::DynamoDB::Table")) {
      assertEquals(Map.of("Fn::If", List.of("IsDev", false, true)),
          template.properties(table).get("DeletionProtectionEnabled"), table);
    }
  }
}
