package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SQS queues and the event sources that drain them. */
class QueueTest {

  final Template template = Template.get();

  record Source(String function, String event, String queue, Map<String, Object> props) {}

  @Test
  void everyConsumedQueueHidesAMessageForAtLeastSixConsumerTimeouts() {
    assertFalse(sources().isEmpty());
    for (Source s : sources()) {
      int timeout = ((Number) template.effectiveFunction(s.function()).get("Timeout")).intValue();
      int visibility = ((Number) template.properties(s.queue()).get("VisibilityTimeout")).intValue();
      assertTrue(visibility >= 6 * timeout,
          s.queue() + " visibility " + visibility + " s < 6 x " + s.function() + " timeout " + timeout + " s");
    }
  }

  @Test
  void everyConsumedQueueRedrivesToADeadLetterQueueThatOutlivesIt() {
    for (Source s : sources()) {
      Map<String, Object> redrive = Template.map(template.properties(s.queue()).get("RedrivePolicy"));
      String dlq = Template.getAtt(redrive.get("deadLetterTargetArn"))
          .filter(g -> g.get(1).equals("Arn")).orElseThrow(() -> new AssertionError(s.queue() + " has no DLQ")).get(0);
      assertEquals("AWS::SQS::Queue", template.type(dlq));
      int receives = ((Number) redrive.get("maxReceiveCount")).intValue();
      // a consumer that carries a retry schedule on visibility receives each message many times by
      // design: DeliveryPipelineTest sizes that queue's maxReceiveCount from the schedule
      int most = postponesItsOwnMessages(s) ? 50 : 10;
      assertTrue(receives >= 2 && receives <= most, s.queue() + " maxReceiveCount " + receives);
      // a message's age counts from its first enqueue, in the DLQ too
      assertTrue(retention(dlq) > retention(s.queue()), dlq + " must keep messages longer than " + s.queue());
    }
  }

  @Test
  void everyQueueIsConsumedOrIsADeadLetterQueue() {
    Set<String> accounted = new HashSet<>();
    for (Source s : sources()) {
      accounted.add(s.queue());
      Template.getAtt(Template.map(template.properties(s.queue()).get("RedrivePolicy")).get("deadLetterTargetArn"))
          .ifPresent(g -> accounted.add(g.get(0)));
    }
    // a stream event's on-failure destination: Lambda describes the batches it gave up on there
    for (String f : template.relayFunctions()) {
      template.events(f, "DynamoDB").values().forEach(e -> Template.getAtt(Template.map(Template.map(
          Template.map(e.get("DestinationConfig")).get("OnFailure"))).get("Destination")).ifPresent(g -> accounted.add(g.get(0))));
    }
    assertEquals(Set.copyOf(template.idsOfType("AWS::SQS::Queue")), accounted);
  }

  @Test
  void sqsEventSourcesReportPartialBatchFailuresAndCapTheirConcurrency() {
    for (Source s : sources()) {
      assertTrue(Template.list(s.props().get("FunctionResponseTypes")).contains("ReportBatchItemFailures"),
          s.function() + "." + s.event());
      Object max = Template.map(s.props().get("ScalingConfig")).get("MaximumConcurrency");
      assertTrue(max instanceof Number n && n.intValue() >= 2 && n.intValue() <= 1000,
          s.function() + "." + s.event() + " needs ScalingConfig.MaximumConcurrency (2..1000), has " + max);
    }
  }

  @Test
  void sqsTriggeredFunctionsHaveNoFunctionLevelDeadLetterQueue() {
    // Lambda's own DLQ only catches asynchronous invocations: an SQS-triggered function never uses it
    sources().forEach(s -> assertFalse(template.effectiveFunction(s.function()).containsKey("DeadLetterQueue"),
        s.function()));
  }

  @Test
  void queuesAreEncryptedAtRest() {
    for (String queue : template.idsOfType("AWS::SQS::Queue")) {
      Map<String, Object> props = template.properties(queue);
      assertTrue(Boolean.TRUE.equals(props.get("SqsManagedSseEnabled")) || props.containsKey("KmsMasterKeyId"), queue);
    }
  }

  boolean postponesItsOwnMessages(Source s) {
    return template.grants(s.function()).getOrDefault("sqs:ChangeMessageVisibility", Set.of()).contains(s.queue());
  }

  List<Source> sources() {
    List<Source> sources = new ArrayList<>();
    for (String f : template.functions()) {
      template.events(f, "SQS").forEach((event, props) -> sources.add(new Source(f, event,
          Template.getAtt(props.get("Queue")).orElseThrow(() -> new AssertionError(f + "." + event
              + ": Queue must be !GetAtt <queue in this stack>.Arn")).get(0), props)));
    }
    return sources;
  }

  int retention(String queue) {
    Object seconds = template.properties(queue).getOrDefault("MessageRetentionPeriod", 345600);
    return ((Number) seconds).intValue();
  }
}
