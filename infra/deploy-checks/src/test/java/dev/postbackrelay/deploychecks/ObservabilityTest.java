package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Logs, access logs and the dashboard. */
class ObservabilityTest {

  static final List<String> BUSINESS_METRICS =
      List.of("Accepted", "Rejected", "Attributed", "StatusUpdated", "Duplicate", "Forwarded", "DeliveryFailed");
  static final String METRICS_SOURCE = CodeReferencesTest.LAMBDA_SOURCES + "/dev/postbackrelay/lambda/metrics/Metrics.java";
  static final Pattern EMITTED = Pattern.compile("\\bmetrics\\.count\\(\\s*\"(\\w+)\"");
  static final ObjectMapper JSON = new ObjectMapper();

  final Template template = Template.get();

  @Test
  void everyFunctionLogsJsonToItsOwnLogGroup() {
    Set<String> groups = new HashSet<>();
    for (String f : template.functions()) {
      Map<String, Object> logging = Template.map(template.effectiveFunction(f).get("LoggingConfig"));
      assertEquals("JSON", logging.get("LogFormat"), f);
      String group = Template.ref(logging.get("LogGroup"))
          .orElseThrow(() -> new AssertionError(f + ": LoggingConfig.LogGroup must be !Ref to a log group here"));
      assertEquals("AWS::Logs::LogGroup", template.type(group), f);
      assertTrue(groups.add(group), group + " is shared");
    }
  }

  @Test
  void everyLogGroupExpires() {
    for (String group : template.idsOfType("AWS::Logs::LogGroup")) {
      assertTrue(template.properties(group).containsKey("RetentionInDays"), group + " keeps logs forever");
    }
  }

  @Test
  void httpApiWritesJsonAccessLogsWithoutPersonalDataOrQueryStrings() throws Exception {
    Map<String, Object> settings = Template.map(template.properties("HttpApi").get("AccessLogSettings"));
    String group = Template.getAtt(settings.get("DestinationArn")).orElseThrow().get(0);
    assertEquals("AWS::Logs::LogGroup", template.type(group));

    String format = (String) settings.get("Format");
    JsonNode fields = JSON.readTree(format);
    for (String field : List.of("requestId", "routeKey", "status")) {
      assertTrue(fields.has(field), "access log lacks " + field);
    }
    for (String forbidden : List.of("sourceIp", "userAgent", "$context.path", "querystring", "$input")) {
      assertFalse(format.contains(forbidden), "access log must not record " + forbidden);
    }
  }

  @Test
  void dashboardShowsEveryBusinessMetricAndTheDeadLetterQueueDepth() throws Exception {
    JsonNode dashboard = dashboard();
    List<String> expressions = new ArrayList<>();
    List<List<String>> metrics = new ArrayList<>();
    for (JsonNode widget : dashboard.path("widgets")) {
      for (JsonNode line : widget.path("properties").path("metrics")) {
        List<String> parts = new ArrayList<>();
        line.forEach(part -> {
          if (part.has("expression")) {
            expressions.add(part.get("expression").asText());
          } else if (part.isTextual()) {
            parts.add(part.asText());
          }
        });
        metrics.add(parts);
      }
    }
    for (String metric : BUSINESS_METRICS) {
      assertTrue(expressions.stream().anyMatch(e -> e.contains("Namespace=\"PostbackRelay\"")
          && e.contains("MetricName=\"" + metric + "\"")), "dashboard lacks PostbackRelay " + metric);
    }
    assertTrue(expressions.stream().anyMatch(e -> e.contains("\"Rejected\"") && e.contains("Reason")),
        "rejections are shown by reason");
    for (String dlq : deadLetterQueues()) {
      assertTrue(metrics.contains(List.of("AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", dlq)),
          "dashboard lacks the depth of " + dlq);
    }
  }

  @Test
  void dashboardShowsEveryMetricTheFunctionsEmitInTheirNamespace() {
    String metrics = JavaSources.withoutComments(Repo.read(METRICS_SOURCE));
    assertTrue(metrics.contains("NAMESPACE = \"PostbackRelay\""), METRICS_SOURCE + " no longer writes to PostbackRelay");
    Set<String> emitted = new TreeSet<>();
    CodeReferencesTest.lambdaSources().values().forEach(source -> {
      Matcher m = EMITTED.matcher(source);
      while (m.find()) {
        emitted.add(m.group(1));
      }
    });
    assertTrue(emitted.containsAll(BUSINESS_METRICS), "the functions emit " + emitted + ", not all of " + BUSINESS_METRICS);
    String body = Template.sub(template.properties("Dashboard").get("DashboardBody")).orElseThrow();
    emitted.forEach(metric -> assertTrue(body.contains("MetricName=\\\"" + metric + "\\\""),
        "the functions emit " + metric + " but the dashboard does not show it"));
  }

  @Test
  void dashboardShowsEveryAlarm() {
    String body = Template.sub(template.properties("Dashboard").get("DashboardBody")).orElseThrow();
    for (String alarm : template.idsOfType("AWS::CloudWatch::Alarm")) {
      assertTrue(body.contains("${" + alarm + ".Arn}"), "dashboard lacks " + alarm);
    }
  }

  /** The dashboard body with each ${X} or ${X.Attr} replaced by X, parsed. */
  JsonNode dashboard() throws Exception {
    assertEquals("AWS::CloudWatch::Dashboard", template.type("Dashboard"));
    String body = Template.sub(template.properties("Dashboard").get("DashboardBody"))
        .orElseThrow(() -> new AssertionError("DashboardBody must be a !Sub"));
    return JSON.readTree(body.replaceAll("\\$\\{([A-Za-z0-9]+)(?:\\.[A-Za-z0-9.:]+)?}", "$1")
        .replace("${AWS::Region}", "region"));
  }

  List<String> deadLetterQueues() {
    List<String> dlqs = new ArrayList<>();
    for (String queue : template.idsOfType("AWS::SQS::Queue")) {
      Template.getAtt(Template.map(template.properties(queue).get("RedrivePolicy")).get("deadLetterTargetArn"))
          .ifPresent(g -> dlqs.add(g.get(0)));
    }
    assertFalse(dlqs.isEmpty());
    return dlqs;
  }
}
