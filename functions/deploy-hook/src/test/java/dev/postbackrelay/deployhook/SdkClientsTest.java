package dev.postbackrelay.deployhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The real SDK clients, against a loopback server standing in for the Lambda and CodeDeploy
 * endpoints: proves the requests the hook sends are signed and shaped as those APIs expect, with
 * the client module versions this build resolves.
 */
class SdkClientsTest {

  static final String VERSION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:relay-ClickFunction-abc:7";
  static final ObjectMapper JSON = new ObjectMapper();

  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  HttpServer server;
  URI endpoint;
  volatile String functionError;
  /** What the stand-in Lambda answers an invocation: (qualified ARN, payload) to response payload. */
  volatile BiFunction<String, String, String> versions = (arn, payload) -> "{\"statusCode\":404}";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a stalled answer holds up no other
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void invoke_postsThePayloadToTheQualifiedVersionSigned() {
    String answer = new LambdaVersionInvoker(lambda()).invoke(VERSION_ARN, "{\"version\":\"2.0\"}");

    assertEquals("{\"statusCode\":404}", answer);
    Received request = received.get(0);
    assertEquals("POST", request.method());
    assertEquals("/2015-03-31/functions/" + VERSION_ARN + "/invocations",
        URLDecoder.decode(request.path(), StandardCharsets.UTF_8));
    assertEquals("{\"version\":\"2.0\"}", request.body());
    assertTrue(request.header("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
        request.header("Authorization"));
    assertTrue(request.header("Authorization").contains("/eu-west-1/lambda/aws4_request"));
  }

  @Test
  void invoke_functionErrorBecomesInvocationFailed() {
    functionError = "Unhandled";

    var e = assertThrows(InvocationFailedException.class,
        () -> new LambdaVersionInvoker(lambda()).invoke(VERSION_ARN, "{}"));
    assertTrue(e.getMessage().contains("raised Unhandled"), e.getMessage());
  }

  @Test
  void report_putsTheLifecycleStatusForTheHookExecution() throws Exception {
    new CodeDeployLifecycleReporter(codeDeploy()).report("d-ABCDEF123", "execution-1", LifecycleEventStatus.SUCCEEDED);

    Received request = received.get(0);
    assertEquals("POST", request.method());
    assertEquals("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus", request.header("X-Amz-Target"));
    assertTrue(request.header("Authorization").contains("/eu-west-1/codedeploy/aws4_request"));
    JsonNode body = JSON.readTree(request.body());
    assertEquals("d-ABCDEF123", body.path("deploymentId").asText());
    assertEquals("execution-1", body.path("lifecycleEventHookExecutionId").asText());
    assertEquals("Succeeded", body.path("status").asText());
  }

  @Test
  void hook_overTheRealClients_probesEveryVersionThenReportsSucceeded() throws Exception {
    versions = PreTrafficHookTest::asTheContractSays;

    String status = hook().handleRequest(PreTrafficHookTest.HOOK_EVENT, context());

    assertEquals("Succeeded", status);
    List<String> invokedArns = received.stream().filter(r -> r.path().startsWith("/2015-03-31/functions/"))
        .map(r -> URLDecoder.decode(r.path(), StandardCharsets.UTF_8).split("/")[3]).toList();
    assertEquals(List.of(PreTrafficHookTest.CLICK_ARN, PreTrafficHookTest.POSTBACK_ARN, PreTrafficHookTest.CONSUMER_ARN,
        PreTrafficHookTest.DELIVERY_ARN, PreTrafficHookTest.ADMIN_ARN), invokedArns);
    Received report = received.get(received.size() - 1);
    assertEquals("CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus", report.header("X-Amz-Target"));
    assertEquals("Succeeded", JSON.readTree(report.body()).path("status").asText());
  }

  @Test
  void hook_overTheRealClients_consumerTakingTheProbeForAMessage_reportsFailed() throws Exception {
    versions = (arn, payload) -> arn.equals(PreTrafficHookTest.CONSUMER_ARN) ? "{\"batchItemFailures\":[]}"
        : PreTrafficHookTest.asTheContractSays(arn, payload);

    String status = hook().handleRequest(PreTrafficHookTest.HOOK_EVENT, context());

    assertEquals("Failed", status);
    Received report = received.get(received.size() - 1);
    assertEquals("Failed", JSON.readTree(report.body()).path("status").asText());
    assertEquals("d-ABCDEF123", JSON.readTree(report.body()).path("deploymentId").asText());
  }

  @Test
  void invoke_versionThatDoesNotAnswer_failsAfterTheProbeTimeout() {
    versions = (arn, payload) -> {
      try {
        Thread.sleep(3_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "{}";
    };
    LambdaClient client = LambdaVersionInvoker.client(LambdaClient.builder().endpointOverride(endpoint)
        .region(Region.EU_WEST_1).credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDTEST", "secret"))), Duration.ofSeconds(1));
    long start = System.nanoTime();

    var e = assertThrows(InvocationFailedException.class, () -> new LambdaVersionInvoker(client).invoke(VERSION_ARN, "{}"));

    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 3_000, "gave up after " + millis + " ms");
    assertTrue(e.getMessage().startsWith(VERSION_ARN + " could not be invoked"), e.getMessage());
  }

  private PreTrafficHook hook() {
    return new PreTrafficHook(Probe.fromEnvironment(PreTrafficHookTest.ENVIRONMENT), new LambdaVersionInvoker(lambda()),
        new CodeDeployLifecycleReporter(codeDeploy()), Clock.fixed(PreTrafficHookTest.NOW, ZoneOffset.UTC));
  }

  private static Context context() {
    LambdaLogger logger = new LambdaLogger() {
      @Override
      public void log(String message) {
      }

      @Override
      public void log(byte[] message) {
      }
    };
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> method.getName().equals("getLogger") ? logger : null);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
        Map.copyOf(exchange.getRequestHeaders()), body));
    byte[] answer;
    if (exchange.getRequestURI().getRawPath().startsWith("/2015-03-31/functions/")) {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      if (functionError != null) {
        exchange.getResponseHeaders().add("X-Amz-Function-Error", functionError);
      }
      String path = URLDecoder.decode(exchange.getRequestURI().getRawPath(), StandardCharsets.UTF_8);
      String arn = path.substring("/2015-03-31/functions/".length(), path.length() - "/invocations".length());
      answer = versions.apply(arn, body).getBytes(StandardCharsets.UTF_8);
    } else {
      exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
      answer = "{\"lifecycleEventHookExecutionId\":\"execution-1\"}".getBytes(StandardCharsets.UTF_8);
    }
    exchange.sendResponseHeaders(200, answer.length);
    exchange.getResponseBody().write(answer);
    exchange.close();
  }

  private LambdaClient lambda() {
    return LambdaClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  private CodeDeployClient codeDeploy() {
    return CodeDeployClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }
}
