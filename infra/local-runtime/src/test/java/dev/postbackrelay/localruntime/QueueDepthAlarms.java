package dev.postbackrelay.localruntime;

import dev.postbackrelay.templateyaml.CloudFormationYaml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's alarms on a queue's depth, evaluated against a running stack's queue as CloudWatch
 * would on one datapoint: {@code AWS/SQS ApproximateNumberOfMessagesVisible} for the queue named by
 * the alarm's {@code QueueName} dimension, compared with its {@code Threshold} by its
 * {@code ComparisonOperator}. There is no CloudWatch locally; this reads the alarm the template
 * deploys, so a test can say that a message in a dead-letter queue would raise it.
 */
final class QueueDepthAlarms {

  private QueueDepthAlarms() {}

  /** One alarm on the depth of one queue. */
  record Alarm(String id, String queue, String operator, double threshold) {

    /** Whether a depth of {@code visible} messages breaches it. */
    boolean breachedBy(int visible) {
      return switch (operator) {
        case "GreaterThanThreshold" -> visible > threshold;
        case "GreaterThanOrEqualToThreshold" -> visible >= threshold;
        case "LessThanThreshold" -> visible < threshold;
        case "LessThanOrEqualToThreshold" -> visible <= threshold;
        default -> throw new IllegalArgumentException(id + ": comparison " + operator);
      };
    }

    /** Whether it is in ALARM for the queue's depth now. */
    boolean inAlarm(SqsClient sqs) {
      String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
      String visible = sqs.getQueueAttributes(b -> b.queueUrl(url)
          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
          .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
      return breachedBy(Integer.parseInt(visible));
    }
  }

  /** The template's depth alarms on {@code queueLogicalId}. */
  static List<Alarm> on(String queueLogicalId) {
    Map<String, Object> resources = map(CloudFormationYaml.load(RunningStack.repository().resolve("template.yaml"))
        .get("Resources"));
    List<Alarm> alarms = new ArrayList<>();
    resources.forEach((id, resource) -> {
      Map<String, Object> r = map(resource);
      Map<String, Object> p = map(r.get("Properties"));
      if (!"AWS::CloudWatch::Alarm".equals(r.get("Type")) || !"AWS/SQS".equals(p.get("Namespace"))
          || !"ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))) {
        return;
      }
      for (Object d : (List<?>) p.getOrDefault("Dimensions", List.of())) {
        Map<String, Object> dimension = map(d);
        if ("QueueName".equals(dimension.get("Name"))
            && Map.of("Fn::GetAtt", List.of(queueLogicalId, "QueueName")).equals(dimension.get("Value"))) {
          alarms.add(new Alarm(id, queueLogicalId, (String) p.get("ComparisonOperator"),
              ((Number) p.get("Threshold")).doubleValue()));
        }
      }
    });
    return alarms;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
