package dev.postbackrelay.localruntime.template;

import dev.postbackrelay.templateyaml.CloudFormationYaml;
import dev.postbackrelay.templateyaml.Ref;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a SAM template the local stack runs: its Parameters, Globals and Resources, read
 * once. {@link #functions(ValueResolver)} gives every {@code AWS::Serverless::Function} that an
 * {@code HttpApi} or {@code SQS} event can invoke (others, such as a CodeDeploy hook, have no
 * local trigger), with Globals applied the way SAM does: function values win, maps such as
 * environment variables and {@code LoggingConfig} are merged, {@code IgnoreGlobals} is honoured.
 * Environment values are resolved with the given resolver, which drops those it returns
 * {@code null} for; {@code LoggingConfig} becomes Lambda's {@code AWS_LAMBDA_LOG_FORMAT} and
 * {@code AWS_LAMBDA_LOG_LEVEL}.
 */
public final class SamTemplate {

  private static final System.Logger LOG = System.getLogger(SamTemplate.class.getName());

  private final Path directory;
  private final Map<String, Object> parameters;
  private final Map<String, Object> globalFunction;
  private final Map<String, Object> resources;

  private SamTemplate(Path directory, Map<String, Object> root) {
    this.directory = directory;
    this.parameters = map(root.get("Parameters"));
    this.globalFunction = map(map(root.get("Globals")).get("Function"));
    this.resources = map(root.get("Resources"));
  }

  /** Reads a template file; relative {@code CodeUri}s resolve against its directory. */
  public static SamTemplate load(Path file) {
    return new SamTemplate(file.toAbsolutePath().getParent(), CloudFormationYaml.load(file));
  }

  /** The {@code Type} of a resource, or {@code null} when no resource has that logical id. */
  public String resourceType(String logicalId) {
    Object resource = resources.get(logicalId);
    return resource == null ? null : (String) map(resource).get("Type");
  }

  /** A template parameter's declaration ({@code Type}, {@code Default}, ...), or {@code null}. */
  public Map<String, Object> parameter(String name) {
    Object parameter = parameters.get(name);
    return parameter == null ? null : map(parameter);
  }

  /** The code locations of the functions run locally, for checking that the artifacts are built. */
  public List<Path> codeUris() {
    return invocableIds().stream().map(this::codeUri).distinct().toList();
  }

  /** Functions no local event can invoke, which the local stack does not start. */
  public List<String> uninvocableFunctions() {
    return functionIds().stream().filter(id -> !invocableIds().contains(id)).toList();
  }

  /** Every function an HttpApi, SQS or DynamoDB event invokes, Globals applied, environment resolved, in template order. */
  public List<FunctionDefinition> functions(ValueResolver resolver) {
    List<FunctionDefinition> functions = new ArrayList<>();
    for (String id : invocableIds()) {
      Map<String, Object> props = properties(id);
      functions.add(new FunctionDefinition(id, codeUri(id), (String) setting(id, "Handler"),
          intSetting(id, "Timeout", FunctionDefinition.DEFAULT_TIMEOUT_SECONDS),
          intSetting(id, "MemorySize", FunctionDefinition.DEFAULT_MEMORY_SIZE_MB),
          environment(id, resolver), httpRoutes(props), sqsEvents(id, props)));
    }
    return functions;
  }

  private List<String> functionIds() {
    return resources.keySet().stream().filter(id -> "AWS::Serverless::Function".equals(resourceType(id))).toList();
  }

  private List<String> invocableIds() {
    return functionIds().stream().filter(id -> !httpRoutes(properties(id)).isEmpty()
        || map(properties(id).get("Events")).values().stream()
            .anyMatch(e -> "SQS".equals(map(e).get("Type")) || "DynamoDB".equals(map(e).get("Type"))))
        .toList();
  }

  private Map<String, Object> properties(String id) {
    return map(map(resources.get(id)).get("Properties"));
  }

  private Map<String, Object> globalsFor(String id) {
    Object ignore = map(resources.get(id)).get("IgnoreGlobals");
    if ("*".equals(ignore)) {
      return Map.of();
    }
    Map<String, Object> globals = new LinkedHashMap<>(globalFunction);
    if (ignore instanceof List<?> keys) {
      keys.forEach(globals::remove);
    }
    return globals;
  }

  private Object setting(String id, String key) {
    Map<String, Object> props = properties(id);
    return props.containsKey(key) ? merge(globalsFor(id).get(key), props.get(key)) : globalsFor(id).get(key);
  }

  /** SAM's Globals rule: maps merge key by key, recursively; anything else, the function's value wins. */
  private static Object merge(Object global, Object own) {
    if (!(own instanceof Map<?, ?> o) || !(global instanceof Map<?, ?> g)) {
      return own;
    }
    Map<String, Object> merged = new LinkedHashMap<>(map(g));
    map(o).forEach((k, v) -> merged.put(k, merge(merged.get(k), v)));
    return merged;
  }

  private int intSetting(String id, String key, int defaultValue) {
    Object value = setting(id, key);
    if (value instanceof Number n) {
      return n.intValue();
    }
    if (value != null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: {1} {2} is not a number locally; using {3}", id, key, value,
          defaultValue);
    }
    return defaultValue;
  }

  private Path codeUri(String id) {
    Object value = setting(id, "CodeUri");
    if (!(value instanceof String uri)) {
      throw new IllegalArgumentException(id + ": only a local CodeUri path is supported, got " + value);
    }
    return directory.resolve(uri).normalize();
  }

  private Map<String, String> environment(String id, ValueResolver resolver) {
    Map<String, Object> raw = new LinkedHashMap<>(map(map(setting(id, "Environment")).get("Variables")));
    Map<String, Object> logging = map(setting(id, "LoggingConfig"));
    if (logging.get("LogFormat") instanceof String format) {
      raw.put("AWS_LAMBDA_LOG_FORMAT", format);
    }
    if (logging.get("ApplicationLogLevel") instanceof String level) {
      raw.put("AWS_LAMBDA_LOG_LEVEL", level);
    }
    Map<String, String> resolved = new LinkedHashMap<>();
    raw.forEach((name, value) -> {
      String text = resolver.resolve(name, value);
      if (text == null) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} not set locally", id, name);
      } else {
        resolved.put(name, text);
      }
    });
    return resolved;
  }

  private static List<HttpRoute> httpRoutes(Map<String, Object> props) {
    List<HttpRoute> routes = new ArrayList<>();
    for (Object event : map(props.get("Events")).values()) {
      Map<String, Object> e = map(event);
      if ("HttpApi".equals(e.get("Type"))) {
        Map<String, Object> p = map(e.get("Properties"));
        Object path = p.get("Path");
        Object method = p.get("Method");
        routes.add(path == null
            ? new HttpRoute("ANY", HttpRoute.DEFAULT_ROUTE)
            : new HttpRoute(method == null ? "ANY" : String.valueOf(method).toUpperCase(Locale.ROOT), (String) path));
      }
    }
    return routes;
  }

  private static List<SqsEventSource> sqsEvents(String id, Map<String, Object> props) {
    List<SqsEventSource> sources = new ArrayList<>();
    for (Object event : map(props.get("Events")).values()) {
      Map<String, Object> e = map(event);
      if ("SQS".equals(e.get("Type"))) {
        Map<String, Object> p = map(e.get("Properties"));
        Ref queue = Ref.of(p.get("Queue")).orElseThrow(
            () -> new IllegalArgumentException(id + ": an SQS event's Queue must be !GetAtt <Queue>.Arn"));
        Object batch = p.get("BatchSize");
        Object window = p.get("MaximumBatchingWindowInSeconds");
        List<?> types = p.get("FunctionResponseTypes") instanceof List<?> l ? l : List.of();
        sources.add(new SqsEventSource(queue.logicalId(),
            batch == null ? SqsEventSource.DEFAULT_BATCH_SIZE : Integer.parseInt(String.valueOf(batch)),
            window == null ? 0 : Integer.parseInt(String.valueOf(window)),
            types.contains("ReportBatchItemFailures"),
            grants(props, "sqs:ChangeMessageVisibility", queue.logicalId())));
      }
    }
    return sources;
  }

  /**
   * Whether the function's own {@code Policies} allow {@code action} on {@code resource}: a
   * statement with {@code Effect: Allow}, the action (a string or a list) and the resource
   * ({@code !GetAtt <resource>.Arn}, alone or in a list).
   */
  private static boolean grants(Map<String, Object> props, String action, String resource) {
    List<?> policies = props.get("Policies") instanceof List<?> l ? l : List.of();
    for (Object policy : policies) {
      List<?> statements = map(policy).get("Statement") instanceof List<?> l ? l : List.of();
      for (Object statement : statements) {
        Map<String, Object> st = map(statement);
        Object actions = st.get("Action");
        Object resources = st.get("Resource");
        boolean allowed = "Allow".equals(st.get("Effect"))
            && (actions instanceof List<?> a ? a.contains(action) : action.equals(actions));
        List<?> targets = resources instanceof List<?> r ? r : resources == null ? List.of() : List.of(resources);
        if (allowed && targets.stream().map(Ref::of).flatMap(Optional::stream)
            .anyMatch(ref -> ref.logicalId().equals(resource) && "Arn".equals(ref.attribute()))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The {@code DynamoDB} stream events of function {@code id}, with their batch, retry and failure settings. */
  public List<StreamEventSource> streamEvents(String id) {
    List<StreamEventSource> sources = new ArrayList<>();
    for (Object event : map(properties(id).get("Events")).values()) {
      Map<String, Object> e = map(event);
      if ("DynamoDB".equals(e.get("Type"))) {
        Map<String, Object> p = map(e.get("Properties"));
        Ref stream = Ref.of(p.get("Stream")).orElseThrow(
            () -> new IllegalArgumentException(id + ": a DynamoDB event's Stream must be !GetAtt <Table>.StreamArn"));
        Ref onFailure = Ref.of(map(map(p.get("DestinationConfig")).get("OnFailure")).get("Destination")).orElse(null);
        List<?> types = p.get("FunctionResponseTypes") instanceof List<?> l ? l : List.of();
        sources.add(new StreamEventSource(stream.logicalId(),
            p.get("BatchSize") == null ? StreamEventSource.DEFAULT_BATCH_SIZE : Integer.parseInt(String.valueOf(p.get("BatchSize"))),
            p.get("MaximumBatchingWindowInSeconds") == null ? 0
                : Integer.parseInt(String.valueOf(p.get("MaximumBatchingWindowInSeconds"))),
            Boolean.TRUE.equals(p.get("BisectBatchOnFunctionError")),
            p.get("MaximumRetryAttempts") == null ? -1 : Integer.parseInt(String.valueOf(p.get("MaximumRetryAttempts"))),
            types.contains("ReportBatchItemFailures"), onFailure == null ? null : onFailure.logicalId()));
      }
    }
    return sources;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o == null ? Map.of() : (Map<String, Object>) o;
  }

  /** Turns a template value of an environment variable into its local text, or {@code null} to drop it. */
  @FunctionalInterface
  public interface ValueResolver {
    String resolve(String variable, Object value);
  }
}
