package dev.postbackrelay.deployhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
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
      answer = "{\"statusCode\":404}".getBytes(StandardCharsets.UTF_8);
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
