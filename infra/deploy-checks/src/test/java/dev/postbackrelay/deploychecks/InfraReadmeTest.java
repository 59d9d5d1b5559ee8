package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** infra/README.md keeps up with the template: every alarm explained, every DLQ's redrive shown. */
class InfraReadmeTest {

  final Template template = Template.get();
  final String readme = Repo.read("infra/README.md");

  @Test
  void deployingIsTheMavenBuildThenSamDeployPerStage() {
    assertTrue(readme.contains("mvn -q -DskipTests package"));
    for (String stage : SamconfigTest.STAGES) {
      assertTrue(readme.contains("sam deploy --config-env " + stage), "no sam deploy for " + stage);
    }
  }

  @Test
  void everyAlarmIsExplained() {
    template.idsOfType("AWS::CloudWatch::Alarm").forEach(alarm ->
        assertTrue(readme.contains(alarm), "infra/README.md does not explain " + alarm));
  }

  /**
   * A dead-letter queue only SQS fills is redriven by SQS (start-message-move-task, from the output
   * with its ARN). One a function fills itself holds messages the code must re-send (a replayed
   * delivery starts its retry schedule over): its redrive is the admin route that may read it.
   */
  @Test
  void everyDeadLetterQueueHasItsRedrive() {
    for (String dlq : template.deadLetterQueues()) {
      List<String> readers = template.relayFunctions().stream()
          .filter(f -> template.grants(f).getOrDefault("sqs:ReceiveMessage", Set.of()).contains(dlq)).toList();
      if (readers.isEmpty()) {
        assertTrue(readme.contains("aws sqs start-message-move-task"), "no start-message-move-task for " + dlq);
        assertTrue(readme.contains(dlq + "Arn"), "infra/README.md does not show how to redrive " + dlq);
        assertTrue(template.section("Outputs").containsKey(dlq + "Arn"), "no output gives " + dlq + "'s ARN");
      } else {
        List<String> replays = template.routes().stream()
            // a route on one item ({delivery_id}) retries that delivery, it does not redrive the queue
            .filter(r -> readers.contains(r.function()) && "POST".equals(r.method()) && !r.path().contains("{"))
            .filter(r -> !r.path().equals("/admin/postbacks/dry-run")) // reads and writes nothing of any queue
            .map(Template.Route::path).toList();
        assertEquals(1, replays.size(), "one POST route replays " + dlq + ", found " + replays);
        assertTrue(readme.contains(replays.get(0)) && readme.contains("--aws-sigv4"),
            "infra/README.md does not show the signed call to " + replays.get(0) + " that replays " + dlq);
        assertTrue(readme.contains(dlq), "infra/README.md does not name " + dlq);
      }
    }
  }

  @Test
  void theDeliveryRetryScheduleSettingIsExplained() {
    assertTrue(readme.contains("RELAY_DELIVERY_RETRY_SCHEDULE"));
  }
}
