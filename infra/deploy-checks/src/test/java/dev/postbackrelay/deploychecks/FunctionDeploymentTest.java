package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Functions: runtime, SnapStart, alias publishing and the CodeDeploy rollout with its alarms. */
class FunctionDeploymentTest {

  final Template template = Template.get();

  @Test
  void thereAreTheSixRelayFunctions() {
    assertEquals(Set.of("ClickFunction", "PostbackFunction", "ConversionConsumerFunction", "DeliveryFunction",
        "AdminFunction", "StatsFunction"), Set.copyOf(template.relayFunctions()));
  }

  @Test
  void everyFunctionRunsOnJava21() {
    template.functions().forEach(f ->
        assertEquals("java21", template.effectiveFunction(f).get("Runtime"), f));
  }

  @Test
  void relayFunctionsRunTheQuarkusArtifact() {
    for (String f : template.relayFunctions()) {
      Map<String, Object> props = template.effectiveFunction(f);
      assertEquals("functions/lambda/target/function.zip", props.get("CodeUri"), f);
      assertEquals("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest", props.get("Handler"), f);
    }
  }

  @Test
  void relayFunctionsRestoreFromSnapStartSnapshotsOfPublishedVersions() {
    for (String f : template.relayFunctions()) {
      assertEquals(Map.of("ApplyOn", "PublishedVersions"), template.effectiveFunction(f).get("SnapStart"), f);
    }
  }

  @Test
  void relayFunctionsPublishANewVersionBehindTheLiveAliasOnAnyChange() {
    for (String f : template.relayFunctions()) {
      Map<String, Object> props = template.effectiveFunction(f);
      assertEquals("live", props.get("AutoPublishAlias"), f);
      assertEquals(Boolean.TRUE, props.get("AutoPublishAliasAllProperties"), f);
      // parameter values and what init reads (the click-id keys) are not properties: the revision is
      assertEquals(Map.of("Ref", "ConfigRevision"), props.get("AutoPublishCodeSha256"), f);
    }
  }

  @Test
  void devShiftsAllAtOnceWhileStagingAndProdShiftByTheDeploymentTypeParameter() {
    assertEquals(Map.of("Fn::Equals", List.of(Map.of("Ref", "Stage"), "dev")),
        template.section("Conditions").get("IsDev"));
    for (String f : template.relayFunctions()) {
      assertEquals(Map.of("Fn::If", List.of("IsDev", "AllAtOnce", Map.of("Ref", "DeploymentType"))),
          preference(f).get("Type"), f);
    }
    Map<String, Object> type = Template.map(template.parameters().get("DeploymentType"));
    List<Object> allowed = Template.list(type.get("AllowedValues"));
    assertFalse(allowed.isEmpty());
    allowed.forEach(v -> assertTrue(String.valueOf(v).matches("(Canary|Linear)10Percent\\w+"),
        "DeploymentType must stay gradual in staging and prod, not " + v));
    assertTrue(String.valueOf(type.get("Default")).startsWith("Canary"), "DeploymentType defaults to a canary");
  }

  @Test
  void everyRolloutIsRolledBackOnErrorsThrottlesAndP99DurationOfTheLiveAlias() {
    for (String f : template.relayFunctions()) {
      List<Map<String, Object>> alarms = rollbackAlarms(f);
      Map<String, Object> errors = find(alarms, "AWS/Lambda", "Errors").orElseThrow(() -> new AssertionError(f + ": no Errors alarm"));
      Map<String, Object> throttles = find(alarms, "AWS/Lambda", "Throttles").orElseThrow(() -> new AssertionError(f + ": no Throttles alarm"));
      Map<String, Object> duration = find(alarms, "AWS/Lambda", "Duration").orElseThrow(() -> new AssertionError(f + ": no Duration alarm"));

      assertEquals("p99", duration.get("ExtendedStatistic"), f + " duration alarm must watch p99");
      for (Map<String, Object> alarm : List.of(errors, throttles, duration)) {
        Map<String, Object> dims = dimensions(alarm);
        assertEquals(Map.of("Ref", f), dims.get("FunctionName"), f);
        assertEquals(Map.of("Fn::Sub", "${" + f + "}:live"), dims.get("Resource"), f + " alarms watch the live alias");
      }
      for (Map<String, Object> alarm : List.of(errors, duration)) {
        assertEquals(Map.of("Fn::GetAtt", List.of(f, "Version.Version")), dimensions(alarm).get("ExecutedVersion"),
            f + " errors and duration watch the version being deployed");
      }
    }
  }

  /**
   * A dead-letter queue that only SQS's redrive fills holds failures nobody has explained yet: a
   * function feeding or draining its queue is rolled back while it has messages.
   */
  @Test
  void functionsFeedingOrDrainingAQueueAreAlsoRolledBackWhenItsDeadLetterQueueFills() {
    for (String f : template.relayFunctions()) {
      for (String queue : queuesTouchedBy(f)) {
        Optional<String> dlq = template.deadLetterQueueOf(queue)
            .or(() -> Optional.of(queue).filter(template.deadLetterQueues()::contains));
        if (dlq.isEmpty() || holdsDeadDeliveries(dlq.get())) {
          continue;
        }
        boolean stops = template.rollbackAlarmIds(f).stream().anyMatch(depthAlarms(dlq.get())::contains);
        assertTrue(stops, f + " uses " + queue + " but no alarm on " + dlq.get() + " depth stops its rollouts");
      }
    }
  }

  /**
   * A dead-letter queue that functions write to themselves holds business outcomes (deliveries a
   * partner never took), not a new version's failures: a version's poison messages need
   * maxReceiveCount receives to get there, longer than any canary. Rolling back on its depth would
   * block every deployment (all functions deploy together) while any partner is down, including
   * the fix to the replay that drains it. It is watched by an operator alarm instead.
   */
  @Test
  void deadLetterQueuesOfDeadDeliveriesAreWatchedButNeverBlockARollout() {
    List<String> buried = template.deadLetterQueues().stream().filter(this::holdsDeadDeliveries).toList();
    assertFalse(buried.isEmpty(), "no function buries dead deliveries in a dead-letter queue");
    for (String dlq : buried) {
      List<String> depth = depthAlarms(dlq);
      assertFalse(depth.isEmpty(), "no alarm tells an operator that " + dlq + " holds dead deliveries");
      for (String f : template.functions()) {
        template.rollbackAlarmIds(f).forEach(alarm -> assertFalse(depth.contains(alarm),
            f + " is rolled back by " + alarm + ": dead deliveries would block every rollout"));
      }
    }
  }

  @Test
  void everyAlarmSaysWhatItMeansAndStaysQuietWithoutTraffic() {
    for (String id : template.idsOfType("AWS::CloudWatch::Alarm")) {
      Map<String, Object> alarm = template.properties(id);
      assertTrue(alarm.get("AlarmDescription") instanceof String d && !d.isBlank(), id + " has no AlarmDescription");
      assertEquals("notBreaching", alarm.get("TreatMissingData"), id);
    }
  }

  /** Queues a function reads from (SQS event, sqs:ReceiveMessage) or sends to (sqs:SendMessage). */
  List<String> queuesTouchedBy(String function) {
    List<String> queues = new ArrayList<>();
    template.events(function, "SQS").values().forEach(e ->
        Template.getAtt(e.get("Queue")).ifPresent(g -> queues.add(g.get(0))));
    Map<String, Set<String>> grants = template.grants(function);
    for (String action : List.of("sqs:SendMessage", "sqs:ReceiveMessage")) {
      grants.getOrDefault(action, Set.of()).stream().filter(template.resources()::containsKey).forEach(queues::add);
    }
    return queues;
  }

  /**
   * Whether this dead-letter queue holds dead deliveries: the delivery function is told it as the
   * place to bury them ({@code RELAY_DELIVERY_DEAD_LETTER_QUEUE_URL}) and may send to it. Another
   * function sending to a dead-letter queue (the consumer moving a message that is no postback)
   * does not make its messages business outcomes: those are a version's faults.
   */
  boolean holdsDeadDeliveries(String dlq) {
    return template.functions().stream()
        .filter(f -> template.grants(f).getOrDefault("sqs:SendMessage", Set.of()).contains(dlq))
        .anyMatch(f -> Map.of("Ref", dlq).equals(template.environment(f).get("RELAY_DELIVERY_DEAD_LETTER_QUEUE_URL")));
  }

  List<String> depthAlarms(String queue) {
    return template.alarmsOn("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName",
        Map.of("Fn::GetAtt", List.of(queue, "QueueName")));
  }

  Map<String, Object> preference(String function) {
    return Template.map(template.effectiveFunction(function).get("DeploymentPreference"));
  }

  List<Map<String, Object>> rollbackAlarms(String function) {
    List<Map<String, Object>> alarms = new ArrayList<>();
    for (Object alarm : Template.list(preference(function).get("Alarms"))) {
      String id = Template.ref(alarm).orElseThrow(() -> new AssertionError(function + ": alarm " + alarm + " is not a !Ref"));
      assertEquals("AWS::CloudWatch::Alarm", template.type(id));
      alarms.add(template.properties(id));
    }
    return alarms;
  }

  static Optional<Map<String, Object>> find(List<Map<String, Object>> alarms, String namespace, String metric) {
    return alarms.stream().filter(a -> namespace.equals(a.get("Namespace")) && metric.equals(a.get("MetricName")))
        .findFirst();
  }

  static Map<String, Object> dimensions(Map<String, Object> alarm) {
    Map<String, Object> dims = new LinkedHashMap<>();
    Template.list(alarm.get("Dimensions")).forEach(d -> dims.put(
        String.valueOf(Template.map(d).get("Name")), Template.map(d).get("Value")));
    return dims;
  }
}
