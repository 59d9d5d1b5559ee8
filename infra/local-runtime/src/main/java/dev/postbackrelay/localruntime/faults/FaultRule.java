package dev.postbackrelay.localruntime.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * One fault to inject: requests from {@code function} (any when null) to {@code service}
 * ({@code dynamodb} or {@code sqs}; any when null) for {@code operation} (the API name, such as
 * {@code PutItem} or {@code SendMessage}; any when null) get {@code fault}, each with probability
 * {@code share}, until {@code untilMillis}, at most {@code count} times (0: no limit).
 *
 * <p>As JSON (the control endpoint, {@code LOCAL_FAULT_PLAN}): {@code {"fault":"hang","service":"dynamodb",
 * "function":"PostbackFunction","operation":"PutItem","share":1.0,"seconds":5,"latency_ms":0,"count":0,
 * "after_seconds":0}}; only {@code fault} is required, {@code seconds} defaults to 3600.
 */
public record FaultRule(long id, Fault fault, String function, String service, String operation, double share,
    long fromMillis, long untilMillis, long latencyMs, int count) {

  /** The rule a JSON object describes, active from {@code nowMillis} plus its {@code after_seconds}. */
  static FaultRule fromJson(long id, JsonNode json, long nowMillis) {
    if (!json.hasNonNull("fault")) {
      throw new IllegalArgumentException("a fault rule needs \"fault\": one of refuse, hang, latency, cut, reset,"
          + " throttle, throughput_exceeded, server_error, kill");
    }
    Fault fault = Fault.valueOf(json.get("fault").asText().toUpperCase(Locale.ROOT));
    long from = nowMillis + (long) (json.path("after_seconds").asDouble(0) * 1000);
    long until = from + (long) (json.path("seconds").asDouble(3600) * 1000);
    return new FaultRule(id, fault, text(json, "function"), text(json, "service"), text(json, "operation"),
        json.path("share").asDouble(1.0), from, until, json.path("latency_ms").asLong(0),
        json.path("count").asInt(fault == Fault.KILL ? 1 : 0));
  }

  private static String text(JsonNode json, String field) {
    return json.hasNonNull(field) && !json.get(field).asText().isBlank() ? json.get(field).asText() : null;
  }

  /** Whether it applies, at {@code nowMillis}, to a request of {@code function} to {@code service}. */
  boolean matches(String function, String service, String operation, long nowMillis) {
    return nowMillis >= fromMillis && nowMillis < untilMillis
        && (this.function == null || this.function.equals(function))
        && (this.service == null || this.service.equalsIgnoreCase(service))
        && (this.operation == null || this.operation.equals(operation));
  }
}
