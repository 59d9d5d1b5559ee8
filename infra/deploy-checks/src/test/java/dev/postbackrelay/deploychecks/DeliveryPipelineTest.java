package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The delivery queue and its consumer, sized from the settings the code runs with (the template's
 * value of a RELAY_ variable, else RelayConfig's default): the retry schedule rides on message
 * visibility, so the queue must keep a message, and let SQS receive it, for the whole schedule.
 */
class DeliveryPipelineTest {

  /** What one receive can hide a message for: SQS's 12 h limit counts from the receive, so a little less. */
  static final Duration HIDE_PER_RECEIVE = Duration.ofHours(11);
  /** Past this many messages in flight SQS hands out no more from a standard queue. */
  static final int SQS_IN_FLIGHT_LIMIT = 120_000;
  /** The deployment setting for explicit exceptions to the outbound guard. */
  static final String ALLOWED_CIDRS_PARAMETER = "OutboundAllowedCidrs";
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");

  final Template template = Template.get();
  final String delivery = template.relayFunction("delivery");
  final String queue = template.referencedBy(delivery, "RELAY_DELIVERY_QUEUE_URL");
  final String deadLetterQueue = template.referencedBy(delivery, "RELAY_DELIVERY_DEAD_LETTER_QUEUE_URL");

  @Test
  void theDeliveryFunctionDrainsTheDeliveryQueueAndIsNotOnTheApi() {
    assertEquals("AWS::SQS::Queue", template.type(queue));
    List<Map<String, Object>> sources = List.copyOf(template.events(delivery, "SQS").values());
    assertEquals(1, sources.size(), delivery + " drains one queue");
    assertEquals(Map.of("Fn::GetAtt", List.of(queue, "Arn")), sources.get(0).get("Queue"));
    assertTrue(template.events(delivery, "HttpApi").isEmpty(), delivery + " must not be reachable over HTTP");
  }

  @Test
  void sqsRedrivesIntoTheQueueDeadDeliveriesAreBuriedIn() {
    // one place for an operator to look and replay from, whichever way a delivery died
    assertEquals(deadLetterQueue, template.deadLetterQueueOf(queue).orElseThrow(() ->
        new AssertionError(queue + " has no RedrivePolicy")));
  }

  @Test
  void sqsLetsADeliveryRunItsWholeScheduleBeforeRedrivingIt() {
    int receives = receivesOverTheSchedule();
    Map<String, Object> redrive = Template.map(template.properties(queue).get("RedrivePolicy"));
    int maxReceiveCount = ((Number) redrive.get("maxReceiveCount")).intValue();
    // as many spare receives as the schedule uses, for crashes, time-outs and claim collisions
    assertTrue(maxReceiveCount >= 2 * receives, queue + " maxReceiveCount " + maxReceiveCount + ": the schedule "
        + schedule() + " alone takes " + receives + " receives; SQS would dead-letter live deliveries, without a reason");
    // and a message no run can handle (poison) still reaches the dead-letter queue the same day
    int visibility = ((Number) template.properties(queue).get("VisibilityTimeout")).intValue();
    assertTrue((long) maxReceiveCount * visibility <= Duration.ofHours(2).toSeconds(),
        "a poison message circles " + maxReceiveCount + " x " + visibility + " s before reaching " + deadLetterQueue);
  }

  @Test
  void theDeliveryQueueKeepsAMessageLongerThanItsWholeSchedule() {
    Duration total = schedule().stream().reduce(Duration.ZERO, Duration::plus);
    Object retention = template.properties(queue).getOrDefault("MessageRetentionPeriod", 345600);
    Duration kept = Duration.ofSeconds(((Number) retention).longValue());
    // past retention SQS drops a message silently: a delivery lost with no dead letter
    assertTrue(kept.compareTo(total.plusDays(1)) >= 0,
        queue + " keeps messages " + kept + ", the schedule " + schedule() + " lasts " + total + ": leave a day to spare");
  }

  @Test
  void aBatchOfHangingPartnersEndsWellInsideTheFunctionTimeout() {
    int batch = ((Number) template.events(delivery, "SQS").values().iterator().next()
        .getOrDefault("BatchSize", 10)).intValue();
    int parallelism = Integer.parseInt(setting("RELAY_DELIVERY_PARALLELISM"));
    Duration perCall = duration(setting("RELAY_OUTBOUND_CONNECT_TIMEOUT"))
        .plus(duration(setting("RELAY_OUTBOUND_READ_TIMEOUT")));
    int rounds = (batch + parallelism - 1) / parallelism;
    Duration worst = perCall.multipliedBy(rounds);
    int timeout = ((Number) template.effectiveFunction(delivery).get("Timeout")).intValue();
    // the other half is for DNS, DynamoDB, SQS and a cold start
    assertTrue(worst.multipliedBy(2).toSeconds() <= timeout, "a batch of " + batch + " hanging partners, "
        + parallelism + " at a time, takes " + worst + "; " + delivery + " times out after " + timeout + " s");
  }

  @Test
  void deployedFunctionsNeverConnectToLoopback() {
    RelayConfigKeys.Key key = key("RELAY_OUTBOUND_ALLOW_LOOPBACK");
    assertEquals("false", key.defaultValue(), "loopback targets must be refused unless a deployment says otherwise");
    for (String f : template.functions()) {
      Object allowed = template.environment(f).get("RELAY_OUTBOUND_ALLOW_LOOPBACK");
      assertTrue(allowed == null || "false".equals(String.valueOf(allowed)), f + " allows loopback targets");
    }
  }

  @Test
  void outboundExceptionsComeOnlyFromTheOutboundAllowedCidrsParameter() {
    Map<String, Object> parameter = Template.map(template.parameters().get(ALLOWED_CIDRS_PARAMETER));
    assertEquals("String", parameter.get("Type"));
    assertEquals("", parameter.get("Default"), "a stage allows no internal destination unless it says so");
    Object fromParameter = Map.of("Ref", ALLOWED_CIDRS_PARAMETER);
    // never a block written in the template: an exception is one deployment's decision
    for (String f : template.functions()) {
      Object value = template.environment(f).get("RELAY_OUTBOUND_ALLOWED_CIDRS");
      assertTrue(value == null || fromParameter.equals(value), f + " sets RELAY_OUTBOUND_ALLOWED_CIDRS to " + value);
    }
    assertEquals(fromParameter, template.environment(delivery).get("RELAY_OUTBOUND_ALLOWED_CIDRS"), delivery);
    // the admin API refuses destination URLs with internal literal addresses by the same rule
    String admin = template.relayFunction("admin");
    assertEquals(fromParameter, template.environment(admin).get("RELAY_OUTBOUND_ALLOWED_CIDRS"), admin);
  }

  @Test
  void outboundAllowedCidrsCanNeverOpenLoopbackLinkLocalOrPublicRanges() {
    Pattern allowed = Pattern.compile(String.valueOf(
        Template.map(template.parameters().get(ALLOWED_CIDRS_PARAMETER)).get("AllowedPattern")));
    for (String ok : List.of("", "10.20.0.0/16", "10.0.0.0/8", "10.1.2.3", "10.1.2.3/32", "172.16.0.0/12",
        "172.31.255.0/24", "192.168.0.0/16", "192.168.1.0/24", "100.64.0.0/10", "100.127.0.0/16",
        "10.20.0.0/16,192.168.4.0/22")) {
      assertTrue(allowed.matcher(ok).matches(), "refuses " + ok);
    }
    for (String refused : List.of("127.0.0.0/8", "127.0.0.1", "127.0.0.1/32", "0.0.0.0/0", "0.0.0.0/1",
        "10.0.0.0/7", "10.0.0.0/0", "8.0.0.0/5", "169.254.169.254/32", "169.254.0.0/16", "172.16.0.0/11",
        "172.32.0.0/16", "192.168.0.0/15", "100.64.0.0/9", "100.128.0.0/16", "203.0.113.0/24", "10.0.0.256/32",
        "10.0.0.0/33", "::1/128", "::/0", "::ffff:127.0.0.1/128", "::ffff:10.0.0.0/104", "fe80::/10",
        "fd00:ec2::254/128", "fc00::/7", "10.20.0.0/16,127.0.0.0/8", "10.20.0.0/16, 192.168.0.0/16",
        "10.20.0.0/16,", ",10.20.0.0/16", " ")) {
      assertFalse(allowed.matcher(refused).matches(), "allows " + refused);
    }
  }

  @Test
  void retriesPilingUpTowardsSqsInFlightLimitRaiseAnAlarm() {
    List<String> alarms = template.alarmsOn("AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName",
        Map.of("Fn::GetAtt", List.of(queue, "QueueName")));
    assertFalse(alarms.isEmpty(), "retries wait in flight; nothing warns before " + queue + " hits SQS's limit of "
        + SQS_IN_FLIGHT_LIMIT);
    alarms.forEach(a -> assertTrue(((Number) template.properties(a).get("Threshold")).intValue() < SQS_IN_FLIGHT_LIMIT,
        a + " fires too late"));
  }

  /** First receive, then for each wait as many receives as it takes to hide the message that long. */
  int receivesOverTheSchedule() {
    int receives = 1;
    for (Duration wait : schedule()) {
      receives += (int) Math.max(1, (wait.toSeconds() + HIDE_PER_RECEIVE.toSeconds() - 1) / HIDE_PER_RECEIVE.toSeconds());
    }
    return receives;
  }

  List<Duration> schedule() {
    List<Duration> waits = new ArrayList<>();
    for (String part : setting("RELAY_DELIVERY_RETRY_SCHEDULE").split(",")) {
      if (!part.isBlank()) {
        waits.add(duration(part.trim()));
      }
    }
    assertFalse(waits.isEmpty(), "empty retry schedule");
    return waits;
  }

  /** The value the delivery function runs with: the template's, else the configuration default. */
  String setting(String variable) {
    Object value = template.environment(delivery).get(variable);
    if (value != null) {
      assertFalse(value instanceof Map, delivery + ": " + variable + " must be a literal for these checks");
      return String.valueOf(value);
    }
    String fallback = key(variable).defaultValue();
    assertTrue(fallback != null, variable + " is neither set for " + delivery + " nor defaulted in RelayConfig");
    return fallback;
  }

  static RelayConfigKeys.Key key(String variable) {
    return CodeReferencesTest.configKeys().stream().filter(k -> k.matches(variable)).findFirst()
        .orElseThrow(() -> new AssertionError("RelayConfig has no key for " + variable));
  }

  /** SmallRye's forms: {@code 5} (seconds), {@code 500ms}, {@code 2s}, {@code 30m}, {@code 2h}, {@code 1d}, or ISO-8601. */
  static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE_DURATION.matcher(t);
    if (!m.matches()) {
      return Duration.parse(t.toUpperCase(Locale.ROOT));
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
