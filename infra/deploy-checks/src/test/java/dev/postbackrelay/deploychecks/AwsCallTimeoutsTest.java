package dev.postbackrelay.deploychecks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every SDK call a function makes ends well inside the function's {@code Timeout}, so a DynamoDB
 * or SQS that hangs gives an honest answer (a 503, a batch item failure) instead of a timeout.
 */
class AwsCallTimeoutsTest {

  private static final String CALL = "RELAY_AWS_API_CALL_TIMEOUT";
  private static final String ATTEMPT = "RELAY_AWS_API_CALL_ATTEMPT_TIMEOUT";
  private static final String CONNECT = "RELAY_AWS_CONNECT_TIMEOUT";
  private static final String SOCKET = "RELAY_AWS_SOCKET_TIMEOUT";
  /** What an HTTP caller waits at most for an answer while a store or queue hangs. */
  private static final Duration HTTP_ANSWER = Duration.ofSeconds(3);

  private final Template template = Template.get();

  @Test
  void everyCallAndAttemptFitsWellInsideTheFunctionsTimeout() {
    for (String f : template.relayFunctions()) {
      Duration timeout = timeout(f);
      Duration call = setting(f, CALL);
      Duration attempt = setting(f, ATTEMPT);
      assertTrue(attempt.compareTo(call) <= 0, f + ": an attempt (" + attempt + ") longer than its call (" + call + ")");
      assertTrue(setting(f, CONNECT).compareTo(attempt) <= 0, f + ": connect time-out longer than an attempt");
      assertTrue(setting(f, SOCKET).compareTo(call) <= 0, f + ": socket time-out longer than a call");
      assertTrue(call.multipliedBy(2).compareTo(timeout) <= 0, f + ": a call may take " + call
          + ", more than half of its " + timeout + " Timeout");
    }
  }

  @Test
  void httpFunctionsAnswerAHangingStoreWithinThreeSeconds() {
    int checked = 0;
    for (String f : template.relayFunctions()) {
      if (!template.events(f, "HttpApi").isEmpty()) {
        Duration call = setting(f, CALL);
        assertTrue(call.plusMillis(500).compareTo(HTTP_ANSWER) <= 0,
            f + ": a hanging store keeps callers waiting " + call + " plus the answer, over " + HTTP_ANSWER);
        checked++;
      }
    }
    assertTrue(checked > 0, "no HTTP function found");
  }

  @Test
  void theConsumersBatchOfFailingCallsStillEndsInsideItsTimeout() {
    String consumer = template.relayFunction("consumer");
    for (Map<String, Object> properties : template.events(consumer, "SQS").values()) {
      int batch = ((Number) properties.getOrDefault("BatchSize", 10)).intValue();
      Duration worst = setting(consumer, CALL).multipliedBy(batch);
      assertTrue(worst.compareTo(timeout(consumer)) < 0, consumer + " handles its " + batch
          + " messages one after another: " + worst + " of failing calls exceed its Timeout");
    }
  }

  private Duration timeout(String function) {
    Object timeout = template.effectiveFunction(function).get("Timeout");
    assertTrue(timeout instanceof Number, function + " has no numeric Timeout");
    return Duration.ofSeconds(((Number) timeout).longValue());
  }

  /** The value the function runs with: the template's, else the configuration default. */
  private Duration setting(String function, String variable) {
    Object value = template.environment(function).get(variable);
    if (value == null) {
      value = DeliveryPipelineTest.key(variable).defaultValue();
    }
    assertTrue(value != null, variable + " is neither set for " + function + " nor defaulted in RelayConfig");
    assertFalse(value instanceof Map, function + ": " + variable + " must be a literal for these checks");
    return DeliveryPipelineTest.duration(String.valueOf(value));
  }
}
