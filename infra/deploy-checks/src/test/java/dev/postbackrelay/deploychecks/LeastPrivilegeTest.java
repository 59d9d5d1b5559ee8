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

  static final String READ_SECRET = "secretsmanager:GetSecretValue";

  /**
   * This stack's destination secrets: Secrets Manager names under this prefix, one per stage, which
   * campaigns reference as {@code secret:<name>} and the delivery function is told
   * (RELAY_DELIVERY_SECRETS_PREFIX).
   */
  static final String DESTINATION_SECRETS_PREFIX = "postback-relay/${Stage}/destinations/";

  /**
   * The one wildcard resource a statement may name without a Condition, and only to read: every
   * secret under that prefix. It cannot be written out: the names are the operators', and Secrets
   * Manager appends a random suffix to each secret's ARN.
   */
  static final String DESTINATION_SECRETS =
      "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:" + DESTINATION_SECRETS_PREFIX + "*";

  /**
   * Every relay function's permissions, action by action, to the resources of this stack: the
   * reviewed answer to "what can this function touch". A change of permissions changes this table.
   * (SQS-triggered functions also get SAM's AWSLambdaSQSQueueExecutionRole for the event source.)
   */
  static final Map<String, Map<String, Set<String>>> GRANTS = Map.of(
      "ClickFunction", Map.of(
          READ_SECRET, Set.of("ClickIdKeysSecret"),
          "dynamodb:GetItem", Set.of("CampaignsTable"),
          "dynamodb:PutItem", Set.of("TrackingTable")),
      // Query: a postback without campaign_id whose click is gone reads the click's conversions
      // signed postbacks' replay records: a conditional put, deleted again if the enqueue fails;
      // refused postbacks: one transaction of capped counter updates and the log copies' puts
      "PostbackFunction", Map.of(
          READ_SECRET, Set.of("ClickIdKeysSecret"),
          "dynamodb:GetItem", Set.of("CampaignsTable", "TrackingTable"),
          "dynamodb:PutItem", Set.of("TrackingTable"),
          "dynamodb:UpdateItem", Set.of("TrackingTable"),
          "dynamodb:DeleteItem", Set.of("TrackingTable"),
          "dynamodb:Query", Set.of("TrackingTable"),
          "sqs:SendMessage", Set.of("ConversionQueue")),
      // no click-id key: it attributes postbacks whose click ids the postback function checked;
      // moves a message that is no postback to its dead-letter queue at once, with the reason
      "ConversionConsumerFunction", Map.of(
          "dynamodb:GetItem", Set.of("CampaignsTable", "TrackingTable"),
          "dynamodb:BatchGetItem", Set.of("TrackingTable"),
          "dynamodb:PutItem", Set.of("TrackingTable"),
          "dynamodb:UpdateItem", Set.of("TrackingTable"),
          "dynamodb:BatchWriteItem", Set.of("TrackingTable"),
          "dynamodb:Query", Set.of("TrackingTable"),
          "sqs:SendMessage", Set.of("DeliveryQueue", "ConversionDeadLetterQueue")),
      // calls out to the internet, so no click-id key: it reads only the destination secrets campaigns
      // reference; postpones its own messages, buries dead ones; logs each attempt (sent-postbacks log)
      "DeliveryFunction", Map.of(
          READ_SECRET, Set.of(DESTINATION_SECRETS),
          "dynamodb:GetItem", Set.of("CampaignsTable", "TrackingTable"),
          "dynamodb:UpdateItem", Set.of("TrackingTable"),
          "dynamodb:BatchWriteItem", Set.of("TrackingTable"),
          "sqs:ChangeMessageVisibility", Set.of("DeliveryQueue"),
          "sqs:SendMessage", Set.of("DeliveryDeadLetterQueue")),
      // replay: dead deliveries from the dead-letter queue back onto the delivery queue; the click-id
      // keys for the dry run, which verifies click ids (and makes none) and reads as attribution does
      // campaigns are written with UpdateItem so that created_at survives; listed from their status index
      "AdminFunction", Map.of(
          READ_SECRET, Set.of("ClickIdKeysSecret"),
          "dynamodb:GetItem", Set.of("CampaignsTable", "TrackingTable"),
          "dynamodb:BatchGetItem", Set.of("TrackingTable"),
          "dynamodb:UpdateItem", Set.of("CampaignsTable"),
          "dynamodb:Query", Set.of("TrackingTable", "${CampaignsTable.Arn}/index/by-status",
              "${TrackingTable.Arn}/index/by-campaign", "StatsTable"),
          "sqs:ReceiveMessage", Set.of("DeliveryDeadLetterQueue"),
          "sqs:DeleteMessage", Set.of("DeliveryDeadLetterQueue"),
          "sqs:SendMessage", Set.of("DeliveryQueue")),
      // the stats counters and the day's admitted subs; the stream reads and the on-failure queue are
      // granted by SAM with the DynamoDB event (AWSLambdaDynamoDBExecutionRole, the destination's policy)
      "StatsFunction", Map.of(
          "dynamodb:UpdateItem", Set.of("StatsTable"),
          "dynamodb:PutItem", Set.of("StatsTable")));

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
    Set<String> known = knownNames();
    for (Template.Statement s : template.statements()) {
      for (Object resource : s.resources()) {
        assertFalse("*".equals(resource), s.owner() + " grants " + s.actions() + " on *");
        assertTrue(scopedToThisStack(s, resource, known),
            s.owner() + ": " + resource + " is not one of this stack's resources, and no Condition narrows it to one");
      }
    }
  }

  @Test
  void theOnlyWildcardAllowedWithoutAConditionIsReadingThisStacksDestinationSecrets() {
    Set<String> known = knownNames();
    assertTrue(scopedToThisStack(statement(READ_SECRET, sub(DESTINATION_SECRETS)), sub(DESTINATION_SECRETS), known));
    for (String action : List.of("secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret",
        "secretsmanager:DescribeSecret", "secretsmanager:*")) {
      assertFalse(scopedToThisStack(statement(action, sub(DESTINATION_SECRETS)), sub(DESTINATION_SECRETS), known),
          action + " on the destination secrets");
    }
    Template.Statement readAndWrite = new Template.Statement("Test", Map.of("Effect", "Allow",
        "Action", List.of(READ_SECRET, "secretsmanager:PutSecretValue"), "Resource", sub(DESTINATION_SECRETS)));
    assertFalse(scopedToThisStack(readAndWrite, sub(DESTINATION_SECRETS), known), "read and write on the prefix");
    String secretArn = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:";
    for (String wider : List.of(
        secretArn + "*",
        secretArn + "postback-relay/*",
        secretArn + "postback-relay/${Stage}/*",
        secretArn + "postback-relay/*/destinations/*",
        secretArn + "postback-relay/${Stage}/destinations*",
        secretArn + "postback-relay/${Stage}/destinations/*/*",
        secretArn + "other-app/${Stage}/destinations/*",
        "arn:${AWS::Partition}:secretsmanager:*:${AWS::AccountId}:secret:" + DESTINATION_SECRETS_PREFIX + "*",
        "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:*:secret:" + DESTINATION_SECRETS_PREFIX + "*",
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${CampaignsTable}*",
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:*")) {
      assertFalse(scopedToThisStack(statement(READ_SECRET, sub(wider)), sub(wider), known), wider);
    }
    // the same ARN written out (no Sub) names a stage's secrets, not this stack's
    String literal = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:postback-relay/prod/destinations/*";
    assertFalse(scopedToThisStack(statement(READ_SECRET, literal), literal, known), literal);
    // what the check accepted before still passes: a resource of this stack, named
    Object table = Map.of("Fn::GetAtt", List.of("CampaignsTable", "Arn"));
    assertTrue(scopedToThisStack(statement("dynamodb:GetItem", table), table, known));
  }

  /**
   * A statement's resource is this stack's when it names one of its resources or parameters without
   * a wildcard, or is the destination secrets read and nothing else. Otherwise (an ARN written out,
   * any other wildcard) a Condition must name one of this stack's resources: the AWS managed key
   * behind Secrets Manager, say, cannot be named itself.
   */
  static boolean scopedToThisStack(Template.Statement s, Object resource, Set<String> known) {
    if ("*".equals(resource)) {
      return false;
    }
    if (List.of(READ_SECRET).equals(s.actions()) && Template.sub(resource).filter(DESTINATION_SECRETS::equals).isPresent()) {
      return true;
    }
    Set<String> named = Template.referencedNames(resource);
    named.retainAll(known);
    boolean wildcard = Template.sub(resource).map(t -> t.contains("*")).orElse(false);
    if (!named.isEmpty() && !wildcard) {
      return true;
    }
    Set<String> conditionNames = Template.referencedNames(s.body().get("Condition"));
    conditionNames.retainAll(known);
    return !conditionNames.isEmpty();
  }

  /** The logical ids and parameters of this stack, with the CodeDeploy resources SAM adds. */
  Set<String> knownNames() {
    Set<String> known = new HashSet<>(template.resources().keySet());
    known.addAll(template.parameters().keySet());
    template.functions().forEach(f -> known.add(f + "DeploymentGroup"));
    known.add("ServerlessDeploymentApplication");
    return known;
  }

  static Template.Statement statement(String action, Object resource) {
    return new Template.Statement("Test", Map.of("Effect", "Allow", "Action", action, "Resource", resource));
  }

  static Map<String, Object> sub(String template) {
    return Map.of("Fn::Sub", template);
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
