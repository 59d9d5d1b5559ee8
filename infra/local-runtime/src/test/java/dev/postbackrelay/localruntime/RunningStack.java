package dev.postbackrelay.localruntime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local stack as a user starts it: {@code java -jar infra/local-runtime/target/local-runtime.jar}
 * from the repository root, as a child process, on a free port, ready once it prints
 * {@code LOCAL STACK READY}. Assumes (skips the test class) until the artifacts are built.
 */
public final class RunningStack implements AutoCloseable {

  /** The summary's line for an event source: {@code SQS  ConversionQueue -> ConsumerFunction (batch ...}. */
  private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern EVENT_SOURCE = Pattern.compile("^\\s+SQS\\s+(\\w+) -> \\w+ \\(");
  /** The summary's line for the SQS endpoint: {@code SQS  http://127.0.0.1:<port>/<account>/<QueueLogicalId>}. */
  private static final Pattern SQS_ENDPOINT = Pattern.compile("^\\s+SQS\\s+(http://\\S+)/\\d+/<QueueLogicalId>$");
  private static final List<QueueAttributeName> MESSAGE_COUNTS = List.of(
      QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
      QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);

  private final Process process;
  private final String baseUrl;
  private final String adminToken;
  private final List<String> output;
  private final Path stackFile;
  private SqsClient sqs;
  private Map<String, String> eventSourceQueues;
  private Thread reader;

  private RunningStack(Process process, String baseUrl, String adminToken, List<String> output, Path stackFile) {
    this.stackFile = stackFile;
    this.process = process;
    this.baseUrl = baseUrl;
    this.adminToken = adminToken;
    this.output = output;
  }

  /**
   * Starts the stack and waits until it is ready.
   *
   * @param env extra environment for the stack ({@code RELAY_*} ones reach the functions)
   */
  /** Where this stack tells {@code relay --local} its URL and token. */
  public Path stackFile() {
    return stackFile;
  }

  public static RunningStack start(String adminToken, Map<String, String> env, Duration readyTimeout) throws Exception {
    return start(adminToken, env, readyTimeout, List.of());
  }

  /** As {@link #start(String, Map, Duration)}, with arguments for the stack ({@code --db-path DIR}). */
  public static RunningStack start(String adminToken, Map<String, String> env, Duration readyTimeout,
      List<String> arguments) throws Exception {
    Path repo = repository();
    assumeTrue(Files.isRegularFile(repo.resolve("functions/lambda/target/function.zip")),
        "needs functions/lambda/target/function.zip (mvn -DskipTests package)");
    Path jar = repo.resolve("infra/local-runtime/target/local-runtime.jar");
    assumeTrue(Files.isRegularFile(jar), "needs " + jar);

    int port = freePort();
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString()));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
    builder.environment().put("PORT", Integer.toString(port));
    builder.environment().put("ADMIN_TOKEN", adminToken);
    // each test stack tells relay --local where it is in a file of its own, never the user's
    Path stackFile = Files.createTempDirectory("local-stack-").resolve("local-stack.json");
    builder.environment().put("RELAY_LOCAL_STACK_FILE", stackFile.toString());
    builder.environment().putAll(env);
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    RunningStack stack = new RunningStack(process, "http://127.0.0.1:" + port, adminToken, output, stackFile);
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = lines.readLine()) != null; ) {
          output.add(line);
          System.out.println("[stack] " + line);
          if (line.startsWith("LOCAL STACK READY ")) {
            ready.complete(null);
          }
        }
      } catch (IOException ignored) {
        // the stack is gone
      }
      ready.completeExceptionally(new IllegalStateException("the stack exited before READY"));
    }, "stack-output");
    reader.setDaemon(true);
    reader.start();
    stack.reader = reader;
    try {
      ready.get(readyTimeout.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      stack.close();
      throw new IllegalStateException("the stack did not become ready within " + readyTimeout + ":\n"
          + String.join("\n", output), e);
    }
    return stack;
  }

  /**
   * {@code method pathAndQuery} against the stack, redirects not followed: the admin token on
   * {@code /admin/} paths, and {@code body} (none when null) as {@code contentType}, JSON when null.
   */
  public HttpResponse<String> send(String method, String pathAndQuery, String contentType, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (pathAndQuery.startsWith("/admin/")) {
      request.header("Authorization", "Bearer " + adminToken);
    }
    if (body != null) {
      request.header("Content-Type", contentType == null ? "application/json" : contentType);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The stack's own process (tests of its shutdown). */
  public Process process() {
    return process;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public String adminToken() {
    return adminToken;
  }

  /** Everything the stack (and its functions) printed so far. */
  public String output() {
    return String.join("\n", output);
  }

  /**
   * Waits for the stack's end-of-processing signal, what a test waits on before it asserts that
   * nothing more arrives: every queue that feeds a function (the event sources in the summary it
   * printed) holds no message, visible, in flight or delayed, on two rounds of reads in a row. A
   * message in flight is one a function is still handling, or a retry waiting; two rounds, because
   * the consumer puts a delivery on the delivery queue before its own message leaves the
   * conversion queue, so one round read in the wrong order could miss it.
   *
   * @throws AssertionError the queues did not drain within {@code timeout}
   */
  public void awaitIdle(Duration timeout) throws InterruptedException {
    Map<String, String> queues = eventSourceQueues();
    long end = System.nanoTime() + timeout.toNanos();
    int idleRounds = 0;
    while (true) {
      Map<String, Integer> counts = new LinkedHashMap<>();
      queues.forEach((name, url) -> counts.put(name, messages(url)));
      if (counts.values().stream().allMatch(n -> n == 0)) {
        if (++idleRounds == 2) {
          return;
        }
        continue; // the second round straight away: what matters is the order of the reads, not a pause
      }
      idleRounds = 0;
      if (System.nanoTime() > end) {
        throw new AssertionError("the stack was still processing after " + timeout + " (messages per queue: "
            + counts + "); stack output:\n" + output());
      }
      Thread.sleep(50);
    }
  }

  /** Messages on the queues that feed functions (visible, in flight, delayed), by queue logical id. */
  public Map<String, Integer> queuedMessages() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    eventSourceQueues().forEach((name, url) -> counts.put(name, messages(url)));
    return counts;
  }

  /** A client on the stack's ElasticMQ (closed with the stack). */
  public SqsClient sqs() {
    eventSourceQueues();
    return sqs;
  }

  /** The URL of any queue of the template, by its logical id. */
  public String queueUrl(String logicalId) {
    return sqs().getQueueUrl(b -> b.queueName(logicalId)).queueUrl();
  }

  /** The repository the stack runs from: where {@code template.yaml} is. */
  public static Path repository() {
    return Path.of(System.getProperty("localruntime.repo-root", "../..")).toAbsolutePath().normalize();
  }

  /** Queue logical id to URL, for every queue that feeds a function; looked up once. */
  private Map<String, String> eventSourceQueues() {
    if (eventSourceQueues != null) {
      return eventSourceQueues;
    }
    String endpoint = null;
    List<String> names = new ArrayList<>();
    for (String line : output) {
      Matcher source = EVENT_SOURCE.matcher(line);
      Matcher sqsEndpoint = SQS_ENDPOINT.matcher(line);
      if (source.find()) {
        names.add(source.group(1));
      } else if (sqsEndpoint.find()) {
        endpoint = sqsEndpoint.group(1);
      }
    }
    if (endpoint == null || names.isEmpty()) {
      throw new IllegalStateException("no SQS endpoint or event source in the stack's summary:\n" + output());
    }
    sqs = SqsClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    Map<String, String> queues = new LinkedHashMap<>();
    names.forEach(name -> queues.put(name, sqs.getQueueUrl(b -> b.queueName(name)).queueUrl()));
    eventSourceQueues = queues;
    return queues;
  }

  /** Messages on the queue: visible, in flight and delayed. */
  private int messages(String queueUrl) {
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
        .attributeNames(MESSAGE_COUNTS)).attributes();
    return MESSAGE_COUNTS.stream().mapToInt(a -> Integer.parseInt(attributes.getOrDefault(a, "0"))).sum();
  }

  /** Stops the stack with SIGTERM, as Ctrl-C would, then kills whatever of its tree is left. */
  @Override
  public void close() {
    if (sqs != null) {
      sqs.close();
    }
    List<ProcessHandle> tree = process.descendants().toList();
    process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
    try {
      if (!process.waitFor(40, TimeUnit.SECONDS)) { // a graceful stop lets invocations in flight finish
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      reader.join(5_000); // everything it printed up to its exit is in output()
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
  }
}
