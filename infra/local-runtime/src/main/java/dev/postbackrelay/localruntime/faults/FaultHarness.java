package dev.postbackrelay.localruntime.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postbackrelay.localaws.client.LocalAwsEndpoints;
import dev.postbackrelay.localruntime.process.ChildProcesses;
import dev.postbackrelay.localruntime.runtime.FunctionPool;
import dev.postbackrelay.localruntime.template.FunctionDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local stack's fault harness: with {@code LOCAL_FAULTS=1} (or a {@code LOCAL_FAULT_PLAN}
 * file), each function reaches DynamoDB Local and ElasticMQ through a {@link FaultProxy} of its
 * own, and faults are injected by {@link FaultRule rules}, given in the plan file (a JSON array,
 * applied at start) and changed while the stack runs through a loopback control endpoint, printed
 * at start as {@code Faults  http://127.0.0.1:<port>/faults} ({@code LOCAL_FAULTS_PORT} fixes the
 * port):
 *
 * <ul>
 *   <li>{@code POST /faults} with a rule (or an array of rules) as JSON: adds them, answers their ids;
 *   <li>{@code GET /faults}: the rules and how often each fired; {@code DELETE /faults}: removes all;
 *   <li>{@code POST /faults/kill?function=<logical id>}: kills that function's execution
 *       environments now (they are replaced, as after a crash).
 * </ul>
 *
 * <p>Off (the default) it changes nothing: functions get the stand-ins' own endpoints. The SQS
 * event-source pollers always reach ElasticMQ directly, as Lambda's own pollers are not the
 * application's calls.
 */
public final class FaultHarness implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean enabled;
  private final LocalAwsEndpoints upstream;
  private final int controlPort;
  private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
  private final Map<Long, AtomicLong> fired = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<FaultProxy> proxies = new ArrayList<>();
  private Map<String, FunctionPool> pools = Map.of();
  private HttpServer control;

  private FaultHarness(boolean enabled, LocalAwsEndpoints upstream, int controlPort) {
    this.enabled = enabled;
    this.upstream = upstream;
    this.controlPort = controlPort;
  }

  /**
   * The harness the environment asks for: on when {@code LOCAL_FAULTS} is {@code 1}/{@code true}
   * or {@code LOCAL_FAULT_PLAN} names a file, whose rules are then in force from the start.
   */
  public static FaultHarness fromEnvironment(Map<String, String> env, LocalAwsEndpoints upstream) {
    String plan = env.get("LOCAL_FAULT_PLAN");
    boolean on = List.of("1", "true").contains(env.getOrDefault("LOCAL_FAULTS", "").trim().toLowerCase(Locale.ROOT))
        || (plan != null && !plan.isBlank());
    FaultHarness harness = new FaultHarness(on, upstream, Integer.parseInt(env.getOrDefault("LOCAL_FAULTS_PORT", "0")));
    if (on) {
      harness.startControl();
      if (plan != null && !plan.isBlank()) {
        try {
          harness.add(JSON.readTree(Files.readString(Path.of(plan))));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read LOCAL_FAULT_PLAN " + plan, e);
        }
      }
    }
    return harness;
  }

  /** {@code function} with its DynamoDB and SQS endpoints through proxies of its own when on; unchanged when off. */
  public FunctionDefinition route(FunctionDefinition function) {
    if (!enabled) {
      return function;
    }
    try {
      FaultProxy dynamo = new FaultProxy(function.logicalId(), "dynamodb", URI.create(upstream.dynamodb()), this);
      FaultProxy sqs = new FaultProxy(function.logicalId(), "sqs", URI.create(upstream.sqs()), this);
      synchronized (proxies) {
        proxies.add(dynamo);
        proxies.add(sqs);
      }
      return function.withEnvironment(Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynamo.url(), "AWS_ENDPOINT_URL_SQS", sqs.url()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fault proxies of " + function.logicalId(), e);
    }
  }

  /** The running functions, by logical id, for {@link Fault#KILL} and the kill endpoint. */
  public void attach(Map<String, FunctionPool> pools) {
    this.pools = Map.copyOf(pools);
  }

  /** The summary line, when on. */
  public Optional<String> summaryLine() {
    return enabled ? Optional.of("  Faults       http://127.0.0.1:" + control.getAddress().getPort()
        + "/faults   (fault harness on: POST a rule, DELETE to clear, POST /faults/kill?function=...)")
        : Optional.empty();
  }

  /** Adds one rule (an object) or several (an array); returns their ids. */
  List<Long> add(JsonNode json) {
    List<Long> added = new ArrayList<>();
    for (JsonNode one : json.isArray() ? json : JSON.createArrayNode().add(json)) {
      FaultRule rule = FaultRule.fromJson(ids.incrementAndGet(), one, System.currentTimeMillis());
      fired.put(rule.id(), new AtomicLong());
      rules.add(rule);
      added.add(rule.id());
    }
    return added;
  }

  /** Whether a {@link Fault#REFUSE} rule holds the proxy of {@code function} to {@code service} closed now. */
  boolean refusing(String function, String service) {
    long now = System.currentTimeMillis();
    return rules.stream().anyMatch(r -> r.fault() == Fault.REFUSE && r.matches(function, service, r.operation(), now));
  }

  /** The first rule that fires for this request, counted; null: forward it untouched. */
  FaultRule pick(String function, String service, String operation) {
    long now = System.currentTimeMillis();
    for (FaultRule rule : rules) {
      if (rule.fault() == Fault.REFUSE || !rule.matches(function, service, operation, now)) {
        continue;
      }
      if (rule.share() < 1.0 && ThreadLocalRandom.current().nextDouble() >= rule.share()) {
        continue;
      }
      AtomicLong count = fired.get(rule.id());
      if (rule.count() > 0 && count.getAndUpdate(n -> n < rule.count() ? n + 1 : n) >= rule.count()) {
        continue; // used up
      }
      if (rule.count() == 0) {
        count.incrementAndGet();
      }
      return rule;
    }
    return null;
  }

  /** Kills every execution environment of {@code function} (they are replaced). */
  void kill(String function, String during) {
    FunctionPool pool = pools.get(function);
    if (pool == null) {
      throw new IllegalArgumentException("no function " + function);
    }
    ChildProcesses.println("[faults] killing " + function + (during == null ? "" : " at its " + during + " call"));
    pool.killEnvironments();
  }

  private void startControl() {
    try {
      control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the fault control port " + controlPort, e);
    }
    control.createContext("/faults", this::handle);
    control.start();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int status = 200;
    String body;
    try {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/faults/kill") && method.equals("POST")) {
        String query = exchange.getRequestURI().getQuery();
        String function = query == null ? "" : query.replaceFirst("^.*function=([^&]*).*$", "$1");
        kill(function, null);
        body = JSON.createObjectNode().put("killed", function).toString();
      } else if (path.equals("/faults") && method.equals("POST")) {
        ArrayNode added = JSON.createArrayNode();
        add(JSON.readTree(exchange.getRequestBody().readAllBytes())).forEach(added::add);
        body = JSON.createObjectNode().set("ids", added).toString();
      } else if (path.equals("/faults") && method.equals("DELETE")) {
        rules.clear();
        body = "{\"rules\":[]}";
      } else if (path.equals("/faults") && method.equals("GET")) {
        ArrayNode list = JSON.createArrayNode();
        for (FaultRule rule : rules) {
          Map<String, Object> view = new LinkedHashMap<>();
          view.put("rule", rule);
          view.put("fired", fired.get(rule.id()).get());
          list.add(JSON.valueToTree(view));
        }
        body = JSON.createObjectNode().set("rules", list).toString();
      } else {
        status = 404;
        body = "{\"error\":\"not_found\"}";
      }
    } catch (IllegalArgumentException | IOException e) {
      status = 400;
      body = JSON.createObjectNode().put("error", "bad_fault").put("message", String.valueOf(e.getMessage())).toString();
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    if (control != null) {
      control.stop(0);
    }
    synchronized (proxies) {
      proxies.forEach(FaultProxy::close);
    }
  }
}
