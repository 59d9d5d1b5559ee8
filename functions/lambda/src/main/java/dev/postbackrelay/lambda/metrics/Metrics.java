package dev.postbackrelay.lambda.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;

/**
 * Business metrics in CloudWatch embedded metric format: one JSON line on standard output per
 * count, which Lambda's log pipeline turns into a metric without an API call. Namespace
 * {@code PostbackRelay}, dimension {@code Service}, plus {@code Reason} for rejections.
 */
public final class Metrics {

  public static final String NAMESPACE = "PostbackRelay";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrintStream out;
  private final Clock clock;
  private final String service;

  public Metrics(PrintStream out, Clock clock, String service) {
    this.out = out;
    this.clock = clock;
    this.service = service;
  }

  /** Counts one {@code name}; {@code reason}, when not null, becomes the Reason dimension. */
  public void count(String name, String reason) {
    ObjectNode line = MAPPER.createObjectNode();
    ObjectNode aws = line.putObject("_aws");
    aws.put("Timestamp", clock.millis());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    ArrayNode dimensions = directive.putArray("Dimensions").addArray().add("Service");
    if (reason != null) {
      dimensions.add("Reason");
      line.put("Reason", reason);
    }
    directive.putArray("Metrics").addObject().put("Name", name).put("Unit", "Count");
    line.put("Service", service);
    line.put(name, 1);
    synchronized (out) {
      out.println(line);
    }
  }
}
