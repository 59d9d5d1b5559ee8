package dev.postbackrelay.deployhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

class PreTrafficHookTest {

  static final String CLICK_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:relay-ClickFunction-abc:7";
  static final String POSTBACK_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:relay-PostbackFunction-def:7";
  static final String CONSUMER_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:relay-ConversionConsumerFunction-ghi:7";
  static final String DELIVERY_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:relay-DeliveryFunction-jkl:7";
  static final String ADMIN_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:relay-AdminFunction-mno:7";
  static final Map<String, String> ENVIRONMENT = Map.of(Probe.CLICK_VERSION_ENV, CLICK_ARN,
      Probe.POSTBACK_VERSION_ENV, POSTBACK_ARN, Probe.CONSUMER_VERSION_ENV, CONSUMER_ARN,
      Probe.DELIVERY_VERSION_ENV, DELIVERY_ARN, Probe.ADMIN_VERSION_ENV, ADMIN_ARN);
  static final Map<String, String> HOOK_EVENT =
      Map.of("DeploymentId", "d-ABCDEF123", "LifecycleEventHookExecutionId", "execution-1");
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  static final String UNKNOWN_CAMPAIGN = response(404, "{\"error\":\"unknown_campaign\",\"message\":\"No campaign exists.\"}");
  static final String MISSING_CLICK_ID = response(400, "{\"error\":\"missing_click_id\",\"message\":\"The click_id is required.\"}");
  static final String UNAUTHORIZED = response(401, "{\"error\":\"unauthorized\",\"message\":\"Admin routes need valid credentials.\"}");

  final Map<String, String> invoked = new LinkedHashMap<>();
  final List<LifecycleEventStatus> reported = new ArrayList<>();
  final List<String> logged = new ArrayList<>();

  @Test
  void everyVersionRefusesItsProbeAsTheContractSays_deploymentProceeds() {
    String result = hook(PreTrafficHookTest::asTheContractSays)
        .handleRequest(HOOK_EVENT, context());

    assertEquals("Succeeded", result);
    assertEquals(List.of(LifecycleEventStatus.SUCCEEDED), reported);
    assertEquals(List.of(CLICK_ARN, POSTBACK_ARN, CONSUMER_ARN, DELIVERY_ARN, ADMIN_ARN), List.copyOf(invoked.keySet()));
    assertTrue(logged.get(0).contains("5 probes passed"), logged.get(0));
  }

  @Test
  void consumerVersionThatTakesTheProbeForAMessage_deploymentFails() {
    hook((arn, payload) -> arn.equals(CONSUMER_ARN) ? "{\"batchItemFailures\":[]}" : asTheContractSays(arn, payload))
        .handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
    assertTrue(logged.get(0).contains("conversion message that is no postback: expected batchItemFailures with "
        + "pretraffic-d-ABCDEF123-consumer only, got {\"batchItemFailures\":[]}"), logged.get(0));
  }

  @Test
  void deliveryVersionReportingAnotherMessageOrMore_deploymentFails() {
    for (String answer : List.of("{\"batchItemFailures\":[{\"itemIdentifier\":\"059f36b4\"}]}",
        "{\"batchItemFailures\":[{\"itemIdentifier\":\"pretraffic-d-ABCDEF123-delivery\"},{\"itemIdentifier\":\"x\"}]}",
        "null", "", "{\"statusCode\":200}")) {
      reported.clear();
      hook((arn, payload) -> arn.equals(DELIVERY_ARN) ? answer : asTheContractSays(arn, payload))
          .handleRequest(HOOK_EVENT, context());

      assertEquals(List.of(LifecycleEventStatus.FAILED), reported, answer);
    }
  }

  @Test
  void adminVersionAnsweringWithoutCredentials_deploymentFails() {
    String campaign = response(200, "{\"campaign_id\":\"pretraffic-probe-no-such-campaign\"}");

    hook((arn, payload) -> arn.equals(ADMIN_ARN) ? campaign : asTheContractSays(arn, payload))
        .handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
    assertTrue(logged.get(0).contains("admin request without credentials: expected 401 with error unauthorized, got 200"),
        logged.get(0));
  }

  @Test
  void queueProbesAreOneUnreadableSqsRecordEach_tiedToTheDeployment() throws Exception {
    hook(PreTrafficHookTest::asTheContractSays).handleRequest(HOOK_EVENT, context());

    for (var probe : Map.of(CONSUMER_ARN, "consumer", DELIVERY_ARN, "delivery").entrySet()) {
      JsonNode records = JSON.readTree(invoked.get(probe.getKey())).path("Records");
      assertEquals(1, records.size());
      JsonNode record = records.get(0);
      assertEquals("pretraffic-d-ABCDEF123-" + probe.getValue(), record.path("messageId").asText());
      assertEquals("pretraffic probe: not a queue message", record.path("body").asText());
      assertEquals(QueueProbe.body(), record.path("body").asText());
      assertEquals("aws:sqs", record.path("eventSource").asText());
      assertEquals("arn:aws:sqs:eu-west-1:123456789012:pretraffic-probe", record.path("eventSourceARN").asText());
      assertEquals("eu-west-1", record.path("awsRegion").asText());
      assertEquals(String.valueOf(NOW.toEpochMilli()), record.path("attributes").path("SentTimestamp").asText());
      assertEquals("316643f3cccc9a8f6a3dd7a1dd908ad8", record.path("md5OfBody").asText(), "MD5 of the body");
      assertThrows(Exception.class, () -> JSON.readTree(record.path("body").asText()), "the body must not be JSON");
    }
  }

  @Test
  void adminProbeIsARouteEventWithoutAnyIdentity() throws Exception {
    hook(PreTrafficHookTest::asTheContractSays).handleRequest(HOOK_EVENT, context());

    JsonNode admin = JSON.readTree(invoked.get(ADMIN_ARN));
    assertEquals("GET /admin/campaigns/{campaign_id}", admin.path("routeKey").asText());
    assertEquals("/admin/campaigns/" + Probe.UNKNOWN_CAMPAIGN_ID, admin.path("rawPath").asText());
    assertEquals(Probe.UNKNOWN_CAMPAIGN_ID, admin.path("pathParameters").path("campaign_id").asText());
    assertEquals("pretraffic-d-ABCDEF123-admin", admin.path("requestContext").path("requestId").asText());
    assertFalse(admin.path("headers").has("authorization"));
    assertFalse(admin.path("requestContext").has("authorizer"));
  }

  @Test
  void clickVersionRedirectsInsteadOfRefusing_deploymentFails() {
    String redirect = "{\"statusCode\":302,\"headers\":{\"location\":\"https://landing.example\"}}";

    hook((arn, payload) -> arn.equals(CLICK_ARN) ? redirect : asTheContractSays(arn, payload)).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
    assertTrue(logged.get(0).contains("click for an unknown campaign: expected 404 with error unknown_campaign, got 302"),
        logged.get(0));
  }

  @Test
  void postbackVersionAcceptsAPostbackWithoutClickId_deploymentFails() {
    String accepted = response(200, "{\"status\":\"accepted\",\"postback_id\":\"p1\"}");

    hook((arn, payload) -> arn.equals(POSTBACK_ARN) ? accepted : asTheContractSays(arn, payload)).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
  }

  @Test
  void rightStatusWithAnotherReasonCode_deploymentFails() {
    String otherReason = response(400, "{\"error\":\"invalid_parameter\",\"message\":\"...\"}");

    hook((arn, payload) -> arn.equals(POSTBACK_ARN) ? otherReason : asTheContractSays(arn, payload)).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
  }

  @Test
  void versionRaisingAnError_deploymentFailsAndIsStillReported() {
    String result = hook((arn, payload) -> {
      throw new InvocationFailedException(arn + " raised Unhandled: {\"errorType\":\"IllegalStateException\"}");
    }).handleRequest(HOOK_EVENT, context());

    assertEquals("Failed", result);
    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
    assertTrue(logged.get(0).contains("raised Unhandled"), logged.get(0));
  }

  @Test
  void unreadableResponse_deploymentFails() {
    hook((arn, payload) -> "not json").handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
  }

  @Test
  void base64EncodedBody_isDecodedBeforeChecking() {
    String body = Base64.getEncoder().encodeToString(
        "{\"error\":\"unknown_campaign\"}".getBytes(StandardCharsets.UTF_8));
    String encoded = "{\"statusCode\":404,\"body\":\"" + body + "\",\"isBase64Encoded\":true}";

    hook((arn, payload) -> arn.equals(CLICK_ARN) ? encoded : asTheContractSays(arn, payload)).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.SUCCEEDED), reported);
  }

  @Test
  void probesGoToTheNewVersionsAsHttpApiEventsThatStoreNothing() throws Exception {
    hook(PreTrafficHookTest::asTheContractSays).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(CLICK_ARN, POSTBACK_ARN, CONSUMER_ARN, DELIVERY_ARN, ADMIN_ARN), List.copyOf(invoked.keySet()));
    JsonNode click = JSON.readTree(invoked.get(CLICK_ARN));
    assertEquals("2.0", click.path("version").asText());
    assertEquals("GET /click", click.path("routeKey").asText());
    assertEquals("/click", click.path("rawPath").asText());
    assertEquals("affiliate_id=pretraffic-probe&campaign_id=pretraffic-probe-no-such-campaign",
        click.path("rawQueryString").asText());
    assertEquals(Probe.UNKNOWN_CAMPAIGN_ID, click.path("queryStringParameters").path("campaign_id").asText());
    assertEquals("GET", click.path("requestContext").path("http").path("method").asText());
    assertEquals("pretraffic-d-ABCDEF123-click", click.path("requestContext").path("requestId").asText());
    assertEquals(NOW.toEpochMilli(), click.path("requestContext").path("timeEpoch").asLong());
    assertEquals("01/Mar/2026:12:00:00 +0000", click.path("requestContext").path("time").asText());

    JsonNode postback = JSON.readTree(invoked.get(POSTBACK_ARN));
    assertEquals("GET /postback", postback.path("routeKey").asText());
    assertFalse(postback.path("queryStringParameters").has("click_id"));
    assertFalse(postback.path("rawQueryString").asText().contains("click_id"));
  }

  @Test
  void missingVersionVariable_failsAtInitNamingIt() {
    for (String variable : ENVIRONMENT.keySet()) {
      Map<String, String> env = new LinkedHashMap<>(ENVIRONMENT);
      env.remove(variable);
      var e = assertThrows(IllegalStateException.class, () -> Probe.fromEnvironment(env));
      assertTrue(e.getMessage().startsWith(variable), e.getMessage());
    }
  }

  @Test
  void eventWithoutDeploymentId_isRejectedWithoutReporting() {
    assertThrows(IllegalArgumentException.class,
        () -> hook((arn, payload) -> UNKNOWN_CAMPAIGN).handleRequest(Map.of("LifecycleEventHookExecutionId", "x"), context()));
    assertTrue(reported.isEmpty());
  }

  /**
   * What each version answers when it keeps its contract: the HTTP functions refuse their probes
   * with their reason codes; the queue consumers report the one record they cannot read.
   */
  static String asTheContractSays(String arn, String payload) {
    return switch (arn) {
      case CLICK_ARN -> UNKNOWN_CAMPAIGN;
      case POSTBACK_ARN -> MISSING_CLICK_ID;
      case ADMIN_ARN -> UNAUTHORIZED;
      default -> {
        try {
          String id = JSON.readTree(payload).path("Records").get(0).path("messageId").asText();
          yield JSON.createObjectNode().set("batchItemFailures",
              JSON.createArrayNode().add(JSON.createObjectNode().put("itemIdentifier", id))).toString();
        } catch (java.io.IOException e) {
          throw new AssertionError(e);
        }
      }
    };
  }

  private PreTrafficHook hook(BiFunction<String, String, String> versions) {
    VersionInvoker invoker = (arn, payload) -> {
      invoked.put(arn, payload);
      return versions.apply(arn, payload);
    };
    LifecycleReporter reporter = (deploymentId, executionId, status) -> {
      assertEquals("d-ABCDEF123", deploymentId);
      assertEquals("execution-1", executionId);
      reported.add(status);
    };
    List<Probe> probes = Probe.fromEnvironment(ENVIRONMENT);
    return new PreTrafficHook(probes, invoker, reporter, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private Context context() {
    LambdaLogger logger = new LambdaLogger() {
      @Override
      public void log(String message) {
        logged.add(message);
      }

      @Override
      public void log(byte[] message) {
        logged.add(new String(message, StandardCharsets.UTF_8));
      }
    };
    return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
        (proxy, method, args) -> method.getName().equals("getLogger") ? logger : null);
  }

  private static String response(int status, String body) {
    return JSON.createObjectNode().put("statusCode", status).put("body", body)
        .put("isBase64Encoded", false).toString();
  }
}
