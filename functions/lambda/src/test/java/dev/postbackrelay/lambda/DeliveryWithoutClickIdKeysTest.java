package dev.postbackrelay.lambda;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The delivery function as deployed (no click-id key) answers the deploy hook's probe by its
 * message id: nothing stored, nothing sent to either delivery queue, no body logged.
 */
@QuarkusTest
@TestProfile(Profiles.DeliveryWithoutClickIdKeys.class)
public class DeliveryWithoutClickIdKeysTest {

  @Test
  void preTrafficProbe_isReportedByItsMessageId_andLeavesNothingBehind() {
    PreTrafficProbes.assertReportedByMessageId_andLeftNothing("pretraffic-d-TEST123-delivery", Map.of(
        "DeliveryDeadLetterQueue", "the probe was buried as a dead delivery",
        "DeliveryQueue", "the probe was sent on"));
  }
}
