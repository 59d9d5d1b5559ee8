package dev.postbackrelay.localruntime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.localaws.client.LocalAwsProcess;
import dev.postbackrelay.localruntime.faults.FaultHarness;
import dev.postbackrelay.localruntime.http.ApiGateway;
import dev.postbackrelay.localruntime.http.RouteTable;
import dev.postbackrelay.localruntime.process.ChildProcesses;
import dev.postbackrelay.localruntime.runtime.FunctionPool;
import dev.postbackrelay.localruntime.runtime.FunctionUnavailableException;
import dev.postbackrelay.localruntime.runtime.LambdaJavaRuntime;
import dev.postbackrelay.localruntime.runtime.TaskRoot;
import dev.postbackrelay.localruntime.sqs.SqsEventSourcePoller;
import dev.postbackrelay.localruntime.template.FunctionDefinition;
import dev.postbackrelay.localruntime.template.HttpRoute;
import dev.postbackrelay.localruntime.template.LocalValues;
import dev.postbackrelay.localruntime.template.SamTemplate;
import dev.postbackrelay.localruntime.streams.StreamEventSourcePoller;
import dev.postbackrelay.localruntime.template.SqsEventSource;
import dev.postbackrelay.localruntime.template.StreamEventSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The product on this machine, like {@code sam local} without Docker: starts the DynamoDB and SQS
 * stand-ins with the template's tables and queues, runs every function of {@code template.yaml}
 * from its real artifact under Lambda's Java runtime interface client, serves the HTTP API on
 * {@code 127.0.0.1:$PORT} and feeds SQS event sources to their functions. Prints
 * {@code LOCAL STACK READY http://127.0.0.1:<port>} once all of that accepts work, and stops every
 * child process on Ctrl-C or SIGTERM. Options: see {@link StackSettings}.
 */
public final class LocalRuntime implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(LocalRuntime.class.getName());
  private static final Duration LOCAL_AWS_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration INIT_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration DISPATCH_WAIT = Duration.ofSeconds(30);
  private static final Duration LONG_POLL = Duration.ofSeconds(5);
  private static final int GATEWAY_THREADS = 64;
  /** How long a stop waits for HTTP requests, then for SQS invocations, in flight. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(12);

  private final StackSettings settings;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<FunctionPool> pools = new ArrayList<>();
  private final List<SqsEventSourcePoller> pollers = new ArrayList<>();
  private final List<StreamEventSourcePoller> streamPollers = new ArrayList<>();
  private final List<String> streamLines = new ArrayList<>();
  private DynamoDbStreamsClient streams;
  private DynamoDbClient dynamo;
  private Path workDir;
  private LocalAwsProcess localAws;
  private ApiGateway gateway;
  /** Where relay --local finds this stack; removed at stop. */
  private StackFile stackFile;
  private SqsClient sqs;
  /** Between the functions and the stand-ins when LOCAL_FAULTS is on; inert otherwise. */
  private FaultHarness faults;

  LocalRuntime(StackSettings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws InterruptedException {
    System.setProperty("java.util.logging.SimpleFormatter.format", "[local-runtime] %4$s %5$s%6$s%n");
    StackSettings settings;
    try {
      settings = StackSettings.from(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("local-runtime: " + e.getMessage());
      System.exit(2);
      return;
    }
    LocalRuntime stack = new LocalRuntime(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-runtime-shutdown"));
    try {
      stack.start();
    } catch (RuntimeException | IOException e) {
      System.err.println("local-runtime: " + e.getMessage());
      System.exit(1);
    }
    stack.stopped.await();
  }

  void start() throws IOException {
    long started = System.nanoTime();
    if (!Files.isRegularFile(settings.template())) {
      throw new IllegalStateException("no template at " + settings.template() + ": run from the repository root");
    }
    ensurePortFree(settings.port());
    SamTemplate template = SamTemplate.load(settings.template());
    Map<Path, Path> taskRoots = unpackCode(template.codeUris());
    startLocalAws();
    LocalValues values = new LocalValues(template, localAws.endpoints().sqs());
    faults = FaultHarness.fromEnvironment(System.getenv(), localAws.endpoints());
    List<FunctionDefinition> functions = template.functions(values).stream()
        .map(f -> f.withEnvironment(localEnvironment())).map(faults::route).toList();
    RouteTable routes = new RouteTable(functions.stream()
        .flatMap(f -> f.httpRoutes().stream().map(r -> new RouteTable.Target(r, f.logicalId()))).toList());
    Map<String, FunctionPool> byName = startFunctions(functions, taskRoots);
    faults.attach(byName);
    gateway = new ApiGateway(settings.port(), GATEWAY_THREADS, routes, byName, json);
    awaitFunctions();
    startPollers(functions, values, byName);
    startStreamPollers(template, functions, values, byName);
    gateway.start();
    String base = "http://127.0.0.1:" + gateway.port();
    stackFile = StackFile.write(StackFile.path(System.getenv()), base, settings.adminToken());
    printSummary(functions, template.uninvocableFunctions(), routes, Duration.ofNanos(System.nanoTime() - started));
  }

  /** Each distinct code location laid out as a task root, after checking that it was built. */
  private Map<Path, Path> unpackCode(List<Path> codeUris) throws IOException {
    for (Path code : codeUris) {
      if (!Files.exists(code)) {
        throw new IllegalStateException("the function artifact " + code + " does not exist: build it first with"
            + " `mvn -DskipTests package` at the repository root (or start the stack with ./infra/run-local.sh)");
      }
    }
    workDir = Files.createTempDirectory("local-runtime-");
    Map<Path, Path> taskRoots = new LinkedHashMap<>();
    for (Path code : codeUris) {
      taskRoots.put(code, TaskRoot.prepare(code, workDir.resolve("task-" + taskRoots.size())));
    }
    return taskRoots;
  }

  private void startLocalAws() {
    List<String> args = settings.dbPath() == null ? List.of()
        : List.of("--db-path", settings.dbPath().toAbsolutePath().toString());
    localAws = LocalAwsProcess.start(settings.localAwsJar(), settings.template(), LocalAwsProcess.Options.defaults()
        .withArguments(args).withTimeout(LOCAL_AWS_TIMEOUT).withOutput(line -> ChildProcesses.println("[local-aws] " + line)));
    localAws.onExit().thenRun(() -> {
      if (!closed.get()) {
        ChildProcesses.println("[local-runtime] local-aws exited unexpectedly; stopping");
        System.exit(1);
      }
    });
  }

  private Map<String, FunctionPool> startFunctions(List<FunctionDefinition> functions, Map<Path, Path> taskRoots) {
    LambdaJavaRuntime runtime = LambdaJavaRuntime.extractTo(workDir.resolve("runtime"));
    Map<String, FunctionPool> byName = new LinkedHashMap<>();
    for (FunctionDefinition function : functions) {
      FunctionPool pool = new FunctionPool(function, runtime, taskRoots.get(function.codeUri()),
          settings.instances(), DISPATCH_WAIT);
      pools.add(pool);
      byName.put(function.logicalId(), pool);
      pool.start();
    }
    return byName;
  }

  private void awaitFunctions() {
    for (FunctionPool pool : pools) {
      try {
        pool.awaitReady(INIT_TIMEOUT);
      } catch (FunctionUnavailableException e) {
        throw new IllegalStateException(e.getMessage() + " (see its output above)", e);
      }
    }
  }

  private static void ensurePortFree(int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      LOG.log(System.Logger.Level.DEBUG, "port {0} is free", probe.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " on 127.0.0.1 is in use: stop what holds it or set PORT");
    }
  }

  private Map<String, String> localEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AWS_ENDPOINT_URL_DYNAMODB", localAws.endpoints().dynamodb());
    env.put("AWS_ENDPOINT_URL_SQS", localAws.endpoints().sqs());
    env.put("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", localAws.endpoints().dynamodb());
    env.put("AWS_REGION", LocalValues.REGION);
    env.put("AWS_ACCESS_KEY_ID", "test");
    env.put("AWS_SECRET_ACCESS_KEY", "test");
    env.put("RELAY_ADMIN_TOKEN", settings.adminToken());
    env.put("RELAY_CLICK_ID_KEYS", settings.clickIdKeys());
    env.put("RELAY_OUTBOUND_ALLOW_LOOPBACK", "true");
    env.putAll(settings.passThrough());
    return env;
  }

  private void startPollers(List<FunctionDefinition> functions, LocalValues values, Map<String, FunctionPool> pools) {
    sqs = SqsClient.builder().endpointOverride(URI.create(localAws.endpoints().sqs())).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().socketTimeout(LONG_POLL.plusSeconds(10)).build()).build();
    for (FunctionDefinition function : functions) {
      for (SqsEventSource source : function.sqsEvents()) {
        for (int i = 0; i < settings.instances(); i++) {
          SqsEventSourcePoller poller = new SqsEventSourcePoller(sqs, values.queueUrl(source.queueLogicalId()),
              LocalValues.queueArn(source.queueLogicalId()), source, pools.get(function.logicalId()),
              settings.retryVisibilityTimeout(), LONG_POLL, json);
          pollers.add(poller);
          poller.start();
        }
      }
    }
  }

  /** One poller per DynamoDB event, on the table's stream in DynamoDB Local (one shard reader, as Lambda has). */
  private void startStreamPollers(SamTemplate template, List<FunctionDefinition> functions, LocalValues values,
      Map<String, FunctionPool> pools) {
    for (FunctionDefinition function : functions) {
      for (StreamEventSource source : template.streamEvents(function.logicalId())) {
        if (streams == null) {
          var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
          URI endpoint = URI.create(localAws.endpoints().dynamodb());
          streams = DynamoDbStreamsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
              .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
          dynamo = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
              .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        }
        String streamArn = dynamo.describeTable(b -> b.tableName(source.tableLogicalId())).table().latestStreamArn();
        if (streamArn == null) {
          throw new IllegalStateException(source.tableLogicalId() + " has no stream: its StreamSpecification is missing");
        }
        StreamEventSourcePoller poller = new StreamEventSourcePoller(streams, sqs, streamArn,
            source.onFailureQueueLogicalId() == null ? null : values.queueUrl(source.onFailureQueueLogicalId()), source,
            pools.get(function.logicalId()), json);
        streamPollers.add(poller);
        poller.start();
        streamLines.add(String.format("  Stream       %s -> %s (batch %d, window %d s, bisect %s, retries %d%s)",
            source.tableLogicalId(), function.logicalId(), source.batchSize(), source.maximumBatchingWindowSeconds(),
            source.bisectBatchOnFunctionError(), source.maximumRetryAttempts(),
            source.reportBatchItemFailures() ? ", ReportBatchItemFailures" : ""));
      }
    }
  }

  private void printSummary(List<FunctionDefinition> functions, List<String> notStarted, RouteTable routes,
      Duration startup) {
    String base = "http://127.0.0.1:" + gateway.port();
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Local stack of " + settings.template().getFileName() + " (" + functions.size() + " functions, "
        + settings.instances() + " execution environment(s) each)");
    lines.add("  API          " + base);
    routes.targets().stream().sorted(Comparator.comparing((RouteTable.Target t) -> t.route().path())
            .thenComparing(t -> t.route().method()))
        .forEach(t -> lines.add(String.format("    %-6s %-40s -> %s", t.route().method(),
            HttpRoute.DEFAULT_ROUTE.equals(t.route().path()) ? "$default" : base + t.route().path(), t.function())));
    for (FunctionDefinition f : functions) {
      for (SqsEventSource s : f.sqsEvents()) {
        lines.add(String.format("  SQS          %s -> %s (batch %d, window %d s%s%s)", s.queueLogicalId(), f.logicalId(),
            s.batchSize(), s.maximumBatchingWindowSeconds(), s.reportBatchItemFailures() ? ", ReportBatchItemFailures" : "",
            settings.retryVisibilityTimeout() == null ? "" : ", failed messages return after " + settings.retryVisibilityTimeout() + " s"));
      }
    }
    lines.addAll(streamLines);
    if (!notStarted.isEmpty()) {
      lines.add("  Not started  " + String.join(", ", notStarted) + " (no HttpApi or SQS event invokes them locally)");
    }
    lines.add("  Admin token  " + settings.adminToken() + "   (Authorization: Bearer <token>)");
    lines.add("  relay        relay --local finds this stack through " + stackFile.file() + " (removed at stop)");
    lines.add("  DynamoDB     " + localAws.endpoints().dynamodb() + "   (tables named by logical id)");
    lines.add("  SQS          " + localAws.endpoints().sqs() + "/" + LocalValues.ACCOUNT + "/<QueueLogicalId>");
    lines.add("  Data         " + settings.dataNotice());
    faults.summaryLine().ifPresent(lines::add);
    lines.add(String.format("  Started in   %.1f s", startup.toMillis() / 1000.0));
    lines.add("LOCAL STACK READY " + base);
    lines.forEach(ChildProcesses::println);
  }

  /**
   * Stops gracefully, in this order: the gateway refuses new requests and answers those in flight,
   * the pollers stop and let their invocations finish, then the functions and the stand-ins stop
   * (each wait bounded by {@code STOP_WAIT}); idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ChildProcesses.println("[local-runtime] stopping");
    try {
      if (stackFile != null) {
        stackFile.remove();
      }
      if (gateway != null) {
        gateway.drain(STOP_WAIT);
        gateway.close();
      }
      pollers.forEach(p -> p.stop(Duration.ZERO));
      streamPollers.forEach(p -> p.stop(Duration.ZERO));
      long pollersEnd = System.nanoTime() + STOP_WAIT.toNanos();
      pollers.forEach(p -> p.stop(Duration.ofNanos(Math.max(0, pollersEnd - System.nanoTime()))));
      streamPollers.forEach(p -> p.stop(Duration.ofNanos(Math.max(0, pollersEnd - System.nanoTime()))));
      pools.parallelStream().forEach(FunctionPool::close);
      if (faults != null) {
        faults.close();
      }
      if (sqs != null) {
        sqs.close();
      }
      if (localAws != null) {
        localAws.close();
      }
      deleteWorkDir();
      ChildProcesses.println("[local-runtime] stopped; data " + settings.dataNotice());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "while stopping", e);
    } finally {
      stopped.countDown();
    }
  }

  private void deleteWorkDir() {
    if (workDir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot delete {0}", workDir);
    }
  }
}
