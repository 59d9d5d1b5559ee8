package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

  @Test
  void everyDeadLetterQueueHasItsRedrive() {
    assertTrue(readme.contains("aws sqs start-message-move-task"));
    for (String queue : template.idsOfType("AWS::SQS::Queue")) {
      Template.getAtt(Template.map(template.properties(queue).get("RedrivePolicy")).get("deadLetterTargetArn"))
          .ifPresent(dlq -> assertTrue(readme.contains(dlq.get(0) + "Arn"),
              "infra/README.md does not show how to redrive " + dlq.get(0)));
    }
  }
}
