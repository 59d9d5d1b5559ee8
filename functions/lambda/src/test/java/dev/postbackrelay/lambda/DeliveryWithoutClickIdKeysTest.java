package dev.postbackrelay.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
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
    Queues.drain("DeliveryQueue");
    Queues.drain("DeliveryDeadLetterQueue");
    int before = PreTrafficProbes.items("TrackingTable");
    String messageId = "pretraffic-d-TEST123-delivery";

    JsonNode response;
    List<String> logged;
    try (var logs = PreTrafficProbes.Logs.capture()) {
      response = Events.invoke(PreTrafficProbes.event(messageId));
      logged = List.copyOf(logs.messages);
    }

    assertEquals("{\"batchItemFailures\":[{\"itemIdentifier\":\"" + messageId + "\"}]}", response.toString());
    assertEquals(before, PreTrafficProbes.items("TrackingTable"), "the probe stored something");
    assertEquals(List.of(), Queues.drain("DeliveryDeadLetterQueue"), "the probe was buried as a dead delivery");
    assertEquals(List.of(), Queues.drain("DeliveryQueue"), "the probe was sent on");
    assertTrue(logged.stream().anyMatch(m -> m.contains(messageId)), "the refusal is logged by message id: " + logged);
    assertTrue(logged.stream().noneMatch(m -> m.contains(PreTrafficProbes.body())), "a message body was logged: " + logged);
  }
}
