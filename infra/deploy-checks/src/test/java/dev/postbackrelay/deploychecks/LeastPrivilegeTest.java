package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IAM: every permission spelled out, no wildcard action, each scoped to this stack's resources. */
class LeastPrivilegeTest {

  /** Properties that give a resource a fixed physical name (which blocks replacement and a second stack). */
  static final List<String> PHYSICAL_NAMES = List.of("FunctionName", "TableName", "QueueName", "TopicName",
      "BucketName", "LogGroupName", "RoleName", "ManagedPolicyName", "AlarmName", "DashboardName", "StateMachineName");

  static final String KEYS = "secretsmanager:GetSecretValue";

  /**
   * Every relay function's permissions, action by action, to the resources of this stack: the
   * reviewed answer to "what can this function touch". A change of permissions changes this table.
   * (SQS-triggered functions also get SAM's AWSLambdaSQSQueueExecutionRole for the event source.)
   */
  static final Map<String, Map<String, Set<String>>> GRANTS = Map.of(
      "ClickFunction", Map.of(
          KEYS, Set.of("ClickIdKeysSecret"),
          "dynamodb:GetItem", Set.of("CampaignsTable"),
          "dynamodb:PutItem", Set.of("TrackingTable")),
      "PostbackFunction", Map.of(
          KEYS, Set.of("ClickIdKeysSecret"),
          "dynamodb:GetItem", Set.of("CampaignsTable", "TrackingTable"),
          "sqs:SendMessage", Set.of("ConversionQueue")),
      "ConversionConsumerFunction", Map.of(
          KEYS, Set.of("ClickIdKeysSecret"),
          "dynamodb:GetItem", Set.of("CampaignsTable", "TrackingTable"),
          "dynamodb:BatchGetItem", Set.of("TrackingTable"),
          "dynamodb:PutItem", Set.of("TrackingTable"),
          "dynamodb:UpdateItem", Set.of("TrackingTable"),
          "dynamodb:BatchWriteItem", Set.of("TrackingTable"),
          "dynamodb:Query", Set.of("TrackingTable"),
          "sqs:SendMessage", Set.of("DeliveryQueue")),
      // calls out to the internet, so it reads no secret at all; postpones its own messages, buries dead ones
      "DeliveryFunction", Map.of(
          "dynamodb:GetItem", Set.of("CampaignsTable", "TrackingTable"),
          "dynamodb:UpdateItem", Set.of("TrackingTable"),
          "sqs:ChangeMessageVisibility", Set.of("DeliveryQueue"),
          "sqs:SendMessage", Set.of("DeliveryDeadLetterQueue")),
      // replay: dead deliveries from the dead-letter queue back onto the delivery queue
      "AdminFunction", Map.of(
          KEYS, Set.of("ClickIdKeysSecret"),
          "dynamodb:GetItem", Set.of("CampaignsTable", "TrackingTable"),
          "dynamodb:PutItem", Set.of("CampaignsTable"),
          "dynamodb:Query", Set.of("TrackingTable"),
          "sqs:ReceiveMessage", Set.of("DeliveryDeadLetterQueue"),
          "sqs:DeleteMessage", Set.of("DeliveryDeadLetterQueue"),
          "sqs:SendMessage", Set.of("DeliveryQueue")));

  final Template template = Template.get();

  @Test
  void eachRelayFunctionIsGrantedExactlyWhatItsWorkNeeds() {
    assertEquals(GRANTS.keySet(), Set.copyOf(template.relayFunctions()), "a function without a reviewed grant list");
    GRANTS.forEach((f, expected) -> assertEquals(expected, template.grants(f), f));
  }

  @Test
  void everyPermissionIsWrittenOutInTheTemplate() {
    assertEquals(List.of(), template.opaquePolicies(),
        "SAM policy templates and managed policies hide what they grant: write Statements instead");
  }

  @Test
  void noStatementGrantsAWildcardActionOrUsesNegation() {
    List<Template.Statement> statements = template.statements();
    assertFalse(statements.isEmpty());
    for (Template.Statement s : statements) {
      assertEquals("Allow", s.body().get("Effect"), s.owner());
      assertFalse(s.body().containsKey("NotAction") || s.body().containsKey("NotResource"), s.owner());
      s.actions().forEach(a -> assertFalse(a.contains("*"), s.owner() + " grants wildcard action " + a));
    }
  }

  @Test
  void everyStatementIsScopedToThisStacksResourcesOrParameters() {
    Set<String> known = new HashSet<>(template.resources().keySet());
    known.addAll(template.parameters().keySet());
    template.functions().forEach(f -> known.add(f + "DeploymentGroup"));
    known.add("ServerlessDeploymentApplication");
    for (Template.Statement s : template.statements()) {
      // a resource that cannot be named (the AWS managed key behind SSM) needs a Condition that names one
      Set<String> conditionNames = Template.referencedNames(s.body().get("Condition"));
      conditionNames.retainAll(known);
      for (Object resource : s.resources()) {
        assertFalse("*".equals(resource), s.owner() + " grants " + s.actions() + " on *");
        Set<String> named = Template.referencedNames(resource);
        named.retainAll(known);
        boolean wildcard = Template.sub(resource).map(t -> t.contains("*")).orElse(false);
        if (named.isEmpty() || wildcard) {
          assertFalse(conditionNames.isEmpty(),
              s.owner() + ": " + resource + " is not one of this stack's resources, and no Condition narrows it to one");
        }
      }
    }
  }

  @Test
  void resourcesHaveNoPhysicalNamesButTheHooksCodeDeployPrefix() {
    template.resources().forEach((id, resource) -> {
      Map<String, Object> props = Template.map(Template.map(resource).get("Properties"));
      for (String name : PHYSICAL_NAMES) {
        if (props.containsKey(name)) {
          boolean hookPrefix = "FunctionName".equals(name)
              && Template.sub(props.get(name)).filter(n -> n.startsWith("CodeDeployHook_${AWS::StackName}")).isPresent();
          assertTrue(hookPrefix, id + " sets " + name);
        }
      }
    });
  }
}
