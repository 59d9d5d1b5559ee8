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
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.codedeploy.model.LifecycleEventStatus;

class PreTrafficHookTest {

  static final String CLICK_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:relay-ClickFunction-abc:7";
  static final String POSTBACK_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:relay-PostbackFunction-def:7";
  static final Map<String, String> HOOK_EVENT =
      Map.of("DeploymentId", "d-ABCDEF123", "LifecycleEventHookExecutionId", "execution-1");
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();

  static final String UNKNOWN_CAMPAIGN = response(404, "{\"error\":\"unknown_campaign\",\"message\":\"No campaign exists.\"}");
  static final String MISSING_CLICK_ID = response(400, "{\"error\":\"missing_click_id\",\"message\":\"The click_id is required.\"}");

  final Map<String, String> invoked = new LinkedHashMap<>();
  final List<LifecycleEventStatus> reported = new ArrayList<>();
  final List<String> logged = new ArrayList<>();

  @Test
  void bothVersionsRefuseTheProbesAsTheContractSays_deploymentProceeds() {
    String result = hook(arn -> arn.equals(CLICK_ARN) ? UNKNOWN_CAMPAIGN : MISSING_CLICK_ID)
        .handleRequest(HOOK_EVENT, context());

    assertEquals("Succeeded", result);
    assertEquals(List.of(LifecycleEventStatus.SUCCEEDED), reported);
  }

  @Test
  void clickVersionRedirectsInsteadOfRefusing_deploymentFails() {
    String redirect = "{\"statusCode\":302,\"headers\":{\"location\":\"https://landing.example\"}}";

    hook(arn -> arn.equals(CLICK_ARN) ? redirect : MISSING_CLICK_ID).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
    assertTrue(logged.get(0).contains("click for an unknown campaign: expected 404 with error unknown_campaign, got 302"),
        logged.get(0));
  }

  @Test
  void postbackVersionAcceptsAPostbackWithoutClickId_deploymentFails() {
    String accepted = response(200, "{\"status\":\"accepted\",\"postback_id\":\"p1\"}");

    hook(arn -> arn.equals(CLICK_ARN) ? UNKNOWN_CAMPAIGN : accepted).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
  }

  @Test
  void rightStatusWithAnotherReasonCode_deploymentFails() {
    String otherReason = response(400, "{\"error\":\"invalid_parameter\",\"message\":\"...\"}");

    hook(arn -> arn.equals(CLICK_ARN) ? UNKNOWN_CAMPAIGN : otherReason).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
  }

  @Test
  void versionRaisingAnError_deploymentFailsAndIsStillReported() {
    String result = hook(arn -> {
      throw new InvocationFailedException(arn + " raised Unhandled: {\"errorType\":\"IllegalStateException\"}");
    }).handleRequest(HOOK_EVENT, context());

    assertEquals("Failed", result);
    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
    assertTrue(logged.get(0).contains("raised Unhandled"), logged.get(0));
  }

  @Test
  void unreadableResponse_deploymentFails() {
    hook(arn -> "not json").handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.FAILED), reported);
  }

  @Test
  void base64EncodedBody_isDecodedBeforeChecking() {
    String body = Base64.getEncoder().encodeToString(
        "{\"error\":\"unknown_campaign\"}".getBytes(StandardCharsets.UTF_8));
    String encoded = "{\"statusCode\":404,\"body\":\"" + body + "\",\"isBase64Encoded\":true}";

    hook(arn -> arn.equals(CLICK_ARN) ? encoded : MISSING_CLICK_ID).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(LifecycleEventStatus.SUCCEEDED), reported);
  }

  @Test
  void probesGoToTheNewVersionsAsHttpApiEventsThatStoreNothing() throws Exception {
    hook(arn -> arn.equals(CLICK_ARN) ? UNKNOWN_CAMPAIGN : MISSING_CLICK_ID).handleRequest(HOOK_EVENT, context());

    assertEquals(List.of(CLICK_ARN, POSTBACK_ARN), List.copyOf(invoked.keySet()));
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
    var e = assertThrows(IllegalStateException.class,
        () -> Probe.fromEnvironment(Map.of(Probe.CLICK_VERSION_ENV, CLICK_ARN)));
    assertTrue(e.getMessage().startsWith(Probe.POSTBACK_VERSION_ENV), e.getMessage());
  }

  @Test
  void eventWithoutDeploymentId_isRejectedWithoutReporting() {
    assertThrows(IllegalArgumentException.class,
        () -> hook(arn -> UNKNOWN_CAMPAIGN).handleRequest(Map.of("LifecycleEventHookExecutionId", "x"), context()));
    assertTrue(reported.isEmpty());
  }

  private PreTrafficHook hook(Function<String, String> versions) {
    VersionInvoker invoker = (arn, payload) -> {
      invoked.put(arn, payload);
      return versions.apply(arn);
    };
    LifecycleReporter reporter = (deploymentId, executionId, status) -> {
      assertEquals("d-ABCDEF123", deploymentId);
      assertEquals("execution-1", executionId);
      reported.add(status);
    };
    List<Probe> probes = Probe.fromEnvironment(
        Map.of(Probe.CLICK_VERSION_ENV, CLICK_ARN, Probe.POSTBACK_VERSION_ENV, POSTBACK_ARN));
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
