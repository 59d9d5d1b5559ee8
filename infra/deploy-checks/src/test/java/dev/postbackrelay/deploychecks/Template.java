package dev.postbackrelay.deploychecks;

import dev.postbackrelay.templateyaml.CloudFormationYaml;
import dev.postbackrelay.templateyaml.Ref;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code template.yaml} as CloudFormation sees it (intrinsics in long form), with what the checks
 * ask of it: resources by type, a function's properties after SAM merges Globals into them, HTTP
 * routes, SQS event sources and every IAM statement the stack grants.
 */
final class Template {

  static final String FUNCTION = "AWS::Serverless::Function";
  private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([^}!][^}]*)}");

  private static final Template LOADED = load();

  private final Map<String, Object> root;

  private Template(Map<String, Object> root) {
    this.root = root;
  }

  static Template get() {
    return LOADED;
  }

  private static Template load() {
    return new Template(CloudFormationYaml.load(Repo.path("template.yaml")));
  }

  Map<String, Object> root() {
    return root;
  }

  List<String> sections() {
    return List.copyOf(root.keySet());
  }

  Map<String, Object> section(String name) {
    return map(root.getOrDefault(name, Map.of()));
  }

  Map<String, Object> resources() {
    return section("Resources");
  }

  Map<String, Object> parameters() {
    return section("Parameters");
  }

  Map<String, Object> resource(String id) {
    Object resource = resources().get(id);
    if (resource == null) {
      throw new AssertionError("template.yaml has no resource " + id);
    }
    return map(resource);
  }

  String type(String id) {
    return (String) resource(id).get("Type");
  }

  Map<String, Object> properties(String id) {
    return map(resource(id).getOrDefault("Properties", Map.of()));
  }

  List<String> idsOfType(String type) {
    return resources().entrySet().stream().filter(e -> type.equals(map(e.getValue()).get("Type")))
        .map(Map.Entry::getKey).toList();
  }

  List<String> functions() {
    return idsOfType(FUNCTION);
  }

  /** The functions running the Quarkus artifact: those choosing a handler by QUARKUS_LAMBDA_HANDLER. */
  List<String> relayFunctions() {
    return functions().stream().filter(f -> environment(f).containsKey("QUARKUS_LAMBDA_HANDLER")).toList();
  }

  /** A function's properties with {@code Globals.Function} merged in as SAM does. */
  Map<String, Object> effectiveFunction(String id) {
    Object ignore = resource(id).get("IgnoreGlobals");
    Map<String, Object> globals = new LinkedHashMap<>(map(section("Globals").getOrDefault("Function", Map.of())));
    if ("*".equals(ignore)) {
      globals.clear();
    } else if (ignore != null) {
      list(ignore).forEach(globals::remove);
    }
    return merge(globals, properties(id));
  }

  Map<String, Object> environment(String functionId) {
    return map(map(effectiveFunction(functionId).getOrDefault("Environment", Map.of())).getOrDefault("Variables", Map.of()));
  }

  /** One HTTP API route served by a function. */
  record Route(String function, String event, String method, String path, Object authorizer) {
    String key() {
      return method + " " + path;
    }
  }

  List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    for (String function : functions()) {
      events(function, "HttpApi").forEach((event, props) -> routes.add(new Route(function, event,
          String.valueOf(props.get("Method")).toUpperCase(), String.valueOf(props.get("Path")),
          map(props.getOrDefault("Auth", Map.of())).get("Authorizer"))));
    }
    return routes;
  }

  /** A function's events of one type (HttpApi, SQS...), by event id, as their Properties. */
  Map<String, Map<String, Object>> events(String function, String type) {
    Map<String, Map<String, Object>> events = new LinkedHashMap<>();
    map(effectiveFunction(function).getOrDefault("Events", Map.of())).forEach((id, event) -> {
      if (type.equals(map(event).get("Type"))) {
        events.put(id, map(map(event).getOrDefault("Properties", Map.of())));
      }
    });
    return events;
  }

  /** One IAM policy statement, and the resource whose permissions it is part of. */
  record Statement(String owner, Map<String, Object> body) {
    List<String> actions() {
      return list(body.get("Action")).stream().map(String::valueOf).toList();
    }

    List<Object> resources() {
      return list(body.get("Resource"));
    }

    boolean conditional() {
      return body.containsKey("Condition");
    }
  }

  /** Every statement the stack writes out: function Policies, managed policies, roles, policies. */
  List<Statement> statements() {
    List<Statement> statements = new ArrayList<>();
    for (String function : functions()) {
      for (Object policy : list(effectiveFunction(function).getOrDefault("Policies", List.of()))) {
        if (policy instanceof Map<?, ?> document && document.containsKey("Statement")) {
          list(document.get("Statement")).forEach(s -> statements.add(new Statement(function, map(s))));
        }
      }
    }
    for (String id : idsOfType("AWS::IAM::ManagedPolicy")) {
      statementsOf(id, properties(id).get("PolicyDocument"), statements);
    }
    for (String id : idsOfType("AWS::IAM::Policy")) {
      statementsOf(id, properties(id).get("PolicyDocument"), statements);
    }
    for (String id : idsOfType("AWS::IAM::Role")) {
      for (Object policy : list(properties(id).getOrDefault("Policies", List.of()))) {
        statementsOf(id, map(policy).get("PolicyDocument"), statements);
      }
    }
    return statements;
  }

  /** The relay function whose QUARKUS_LAMBDA_HANDLER is {@code handler}. */
  String relayFunction(String handler) {
    return relayFunctions().stream().filter(f -> handler.equals(environment(f).get("QUARKUS_LAMBDA_HANDLER")))
        .findFirst().orElseThrow(() -> new AssertionError("no function runs the '" + handler + "' handler"));
  }

  /** The resource a function's environment variable is a {@code !Ref} to. */
  String referencedBy(String function, String variable) {
    Object value = environment(function).get(variable);
    return ref(value).orElseThrow(() -> new AssertionError(function + ": " + variable + " must be a !Ref, is " + value));
  }

  /** The queue a queue's RedrivePolicy sends to, if it has one. */
  Optional<String> deadLetterQueueOf(String queue) {
    return getAtt(map(properties(queue).get("RedrivePolicy")).get("deadLetterTargetArn")).map(g -> g.get(0));
  }

  /** Queues that some queue's RedrivePolicy sends to. */
  Set<String> deadLetterQueues() {
    Set<String> dlqs = new LinkedHashSet<>();
    idsOfType("AWS::SQS::Queue").forEach(q -> deadLetterQueueOf(q).ifPresent(dlqs::add));
    return dlqs;
  }

  /**
   * What a function may do, action by action, to which resources of this stack (by logical id; a
   * {@code Fn::Sub} by its template string; a resource written another way is kept as written).
   */
  Map<String, Set<String>> grants(String function) {
    Map<String, Set<String>> grants = new TreeMap<>();
    for (Statement s : grantedTo(function)) {
      for (String action : s.actions()) {
        Set<String> on = grants.computeIfAbsent(action, a -> new TreeSet<>());
        s.resources().forEach(r -> on.add(ref(r).or(() -> getAtt(r).map(g -> g.get(0))).or(() -> sub(r))
            .orElse(String.valueOf(r))));
      }
    }
    return grants;
  }

  /** Alarms (by logical id) on one metric with one dimension, e.g. a queue's depth. */
  List<String> alarmsOn(String namespace, String metric, String dimension, Object value) {
    return idsOfType("AWS::CloudWatch::Alarm").stream().filter(id -> {
      Map<String, Object> alarm = properties(id);
      return namespace.equals(alarm.get("Namespace")) && metric.equals(alarm.get("MetricName"))
          && list(alarm.get("Dimensions")).stream().anyMatch(d -> dimension.equals(map(d).get("Name"))
              && value.equals(map(d).get("Value")));
    }).toList();
  }

  /** Alarm ids in a function's DeploymentPreference: what rolls its rollouts back. */
  List<String> rollbackAlarmIds(String function) {
    Map<String, Object> preference = map(effectiveFunction(function).get("DeploymentPreference"));
    return list(preference.get("Alarms")).stream().map(a -> ref(a)
        .orElseThrow(() -> new AssertionError(function + ": alarm " + a + " is not a !Ref"))).toList();
  }

  /** Statements a function is granted: its own Policies and the managed policies of this stack it attaches. */
  List<Statement> grantedTo(String function) {
    Set<String> owners = new LinkedHashSet<>(List.of(function));
    list(effectiveFunction(function).get("Policies")).forEach(p -> ref(p).ifPresent(owners::add));
    return statements().stream().filter(s -> owners.contains(s.owner())).toList();
  }

  /**
   * Policies whose permissions the template does not spell out: SAM policy templates, AWS managed
   * policies by name or ARN. Each is described as owner: policy.
   */
  List<String> opaquePolicies() {
    List<String> opaque = new ArrayList<>();
    for (String function : functions()) {
      for (Object policy : list(effectiveFunction(function).getOrDefault("Policies", List.of()))) {
        boolean statements = policy instanceof Map<?, ?> document && document.containsKey("Statement");
        boolean ownManagedPolicy = ref(policy).filter(id -> resources().containsKey(id)
            && "AWS::IAM::ManagedPolicy".equals(type(id))).isPresent();
        if (!statements && !ownManagedPolicy) {
          opaque.add(function + ": " + policy);
        }
      }
    }
    for (String id : idsOfType("AWS::IAM::Role")) {
      list(properties(id).getOrDefault("ManagedPolicyArns", List.of())).forEach(p -> opaque.add(id + ": " + p));
    }
    return opaque;
  }

  private static void statementsOf(String owner, Object document, List<Statement> into) {
    if (document != null) {
      list(map(document).get("Statement")).forEach(s -> into.add(new Statement(owner, map(s))));
    }
  }

  // ------------------------------------------------------------------ intrinsics

  /** The target of {@code {"Ref": X}}, e.g. {@code CampaignsTable} or {@code ClickFunction.Version}. */
  static Optional<String> ref(Object value) {
    return Ref.of(value).filter(r -> r.attribute() == null).map(Ref::logicalId);
  }

  /** {@code [LogicalId, Attribute]} of {@code {"Fn::GetAtt": ...}}. */
  static Optional<List<String>> getAtt(Object value) {
    return Ref.of(value).filter(r -> r.attribute() != null).map(r -> List.of(r.logicalId(), r.attribute()));
  }

  /** The template string of {@code {"Fn::Sub": "..."}} (or of its list form). */
  static Optional<String> sub(Object value) {
    if (value instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Fn::Sub")) {
      Object sub = m.get("Fn::Sub");
      return Optional.of(sub instanceof List<?> l ? String.valueOf(l.get(0)) : String.valueOf(sub));
    }
    return Optional.empty();
  }

  /** The names a {@code Fn::Sub} template interpolates: {@code ${X}} and {@code ${X.Attr}}. */
  static Set<String> subReferences(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = SUB_REFERENCE.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Every logical id or parameter a value names, through Ref, GetAtt or Sub, at any depth. */
  static Set<String> referencedNames(Object value) {
    Set<String> names = new LinkedHashSet<>();
    collect(value, names);
    return names;
  }

  private static void collect(Object value, Set<String> names) {
    ref(value).ifPresent(r -> names.add(r.split("\\.")[0]));
    getAtt(value).ifPresent(g -> names.add(g.get(0)));
    sub(value).ifPresent(s -> subReferences(s).forEach(r -> names.add(r.split("\\.")[0])));
    if (value instanceof Map<?, ?> m) {
      m.values().forEach(v -> collect(v, names));
    } else if (value instanceof List<?> l) {
      l.forEach(v -> collect(v, names));
    }
  }

  static boolean isIntrinsic(Object value) {
    return value instanceof Map<?, ?> m && m.size() == 1
        && m.keySet().stream().allMatch(k -> "Ref".equals(k) || String.valueOf(k).startsWith("Fn::"));
  }

  // ------------------------------------------------------------------ plumbing

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value == null ? List.of() : value instanceof List<?> l ? (List<Object>) l : List.of(value);
  }

  /** SAM's Globals merge: maps merge key by key, lists append, anything else the resource wins. */
  private static Map<String, Object> merge(Map<String, Object> globals, Map<String, Object> resource) {
    Map<String, Object> merged = new LinkedHashMap<>(globals);
    resource.forEach((key, value) -> merged.merge(key, value, Template::mergeValue));
    return merged;
  }

  private static Object mergeValue(Object global, Object local) {
    if (global instanceof Map<?, ?> && local instanceof Map<?, ?> && !isIntrinsic(global) && !isIntrinsic(local)) {
      return merge(map(global), map(local));
    }
    if (global instanceof List<?> g && local instanceof List<?> l) {
      List<Object> both = new ArrayList<>(g);
      both.addAll(l);
      return both;
    }
    return local;
  }
}
