package dev.postbackrelay.localruntime.template;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code AWS::Serverless::Function} with Globals applied: its code, handler, timeout, memory,
 * resolved environment (template values plus local values) and event sources.
 */
public record FunctionDefinition(String logicalId, Path codeUri, String handler, int timeoutSeconds,
    int memorySizeMb, Map<String, String> environment, List<HttpRoute> httpRoutes,
    List<SqsEventSource> sqsEvents) {

  /** SAM's defaults when neither the function nor Globals set them. */
  public static final int DEFAULT_TIMEOUT_SECONDS = 3;
  public static final int DEFAULT_MEMORY_SIZE_MB = 128;

  public FunctionDefinition {
    environment = Map.copyOf(environment);
    httpRoutes = List.copyOf(httpRoutes);
    sqsEvents = List.copyOf(sqsEvents);
  }

  /** The same function with {@code extra} variables set over its own. */
  public FunctionDefinition withEnvironment(Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>(environment);
    merged.putAll(extra);
    return new FunctionDefinition(logicalId, codeUri, handler, timeoutSeconds, memorySizeMb, merged, httpRoutes,
        sqsEvents);
  }

  /** The value Lambda gives {@code QUARKUS_LAMBDA_HANDLER}, or the logical id when unset. */
  public String displayHandler() {
    return environment.getOrDefault("QUARKUS_LAMBDA_HANDLER", logicalId);
  }
}
