package dev.postbackrelay.localruntime.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.localruntime.template.HttpRoute;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiEventsTest {

  private static final Instant NOW = Instant.parse("2026-03-12T19:03:58.123Z");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpApiEvents events = new HttpApiEvents(json);
  private final RouteTable routes = new RouteTable(List.of(
      new RouteTable.Target(new HttpRoute("GET", "/click"), "ClickFunction"),
      new RouteTable.Target(new HttpRoute("PUT", "/admin/campaigns/{campaign_id}"), "AdminFunction"),
      new RouteTable.Target(new HttpRoute("POST", "/postback"), "PostbackFunction")));

  @Test
  void getWithQuery_foldsRepeatedKeysAndHeaders_likeApiGateway() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("Host", List.of("127.0.0.1:3000"));
    headers.put("User-Agent", List.of("curl/8"));
    headers.put("X-Multi", List.of("one", "two"));
    headers.put("x-multi", List.of("three"));
    headers.put("Cookie", List.of("a=1; b=2"));
    ObjectNode event = build(new HttpApiRequest("GET", "/click", "campaign_id=c1&sub1=a%20b&sub1=c&flag",
        headers, new byte[0], "127.0.0.7", 3000, "HTTP/1.1"));

    assertEquals("2.0", event.get("version").asText());
    assertEquals("GET /click", event.get("routeKey").asText());
    assertEquals("/click", event.get("rawPath").asText());
    assertEquals("campaign_id=c1&sub1=a%20b&sub1=c&flag", event.get("rawQueryString").asText());
    assertEquals("c1", event.at("/queryStringParameters/campaign_id").asText());
    assertEquals("a b,c", event.at("/queryStringParameters/sub1").asText());
    assertEquals("", event.at("/queryStringParameters/flag").asText());
    assertEquals("one,two,three", event.at("/headers/x-multi").asText());
    assertEquals("curl/8", event.at("/headers/user-agent").asText());
    assertEquals("127.0.0.7", event.at("/headers/x-forwarded-for").asText());
    assertFalse(event.get("headers").has("cookie"), "cookies move to their own field");
    assertEquals("[\"a=1\",\"b=2\"]", event.get("cookies").toString());
    assertFalse(event.has("pathParameters"));
    assertFalse(event.has("body"));
    assertFalse(event.get("isBase64Encoded").asBoolean());
  }

  @Test
  void requestContext_carriesStageTimeAndSource() {
    ObjectNode event = build(new HttpApiRequest("GET", "/click", null, Map.of("Host", List.of("127.0.0.1:3000")),
        new byte[0], "127.0.0.1", 3000, "HTTP/1.1"));
    var context = event.get("requestContext");
    assertEquals("000000000000", context.get("accountId").asText());
    assertEquals("$default", context.get("stage").asText());
    assertEquals("GET /click", context.get("routeKey").asText());
    assertEquals("req-1", context.get("requestId").asText());
    assertEquals("12/Mar/2026:19:03:58 +0000", context.get("time").asText());
    assertEquals(NOW.toEpochMilli(), context.get("timeEpoch").asLong());
    assertEquals("127.0.0.1", context.get("domainName").asText());
    assertEquals("GET", context.at("/http/method").asText());
    assertEquals("/click", context.at("/http/path").asText());
    assertEquals("HTTP/1.1", context.at("/http/protocol").asText());
    assertEquals("127.0.0.1", context.at("/http/sourceIp").asText());
    assertEquals("", event.get("rawQueryString").asText());
    assertFalse(event.has("queryStringParameters"));
  }

  @Test
  void pathParameters_areExtractedAndDecoded() {
    ObjectNode event = build(new HttpApiRequest("PUT", "/admin/campaigns/c%201", null, Map.of(),
        "{}".getBytes(StandardCharsets.UTF_8), "127.0.0.1", 3000, "HTTP/1.1"));
    assertEquals("PUT /admin/campaigns/{campaign_id}", event.get("routeKey").asText());
    assertEquals("c 1", event.at("/pathParameters/campaign_id").asText());
  }

  @Test
  void textBody_isPassedAsIs_otherBodies_asBase64() {
    byte[] form = "a=1&b=2".getBytes(StandardCharsets.UTF_8);
    ObjectNode text = build(new HttpApiRequest("POST", "/postback", null,
        Map.of("Content-Type", List.of("application/x-www-form-urlencoded; charset=utf-8")), form, "127.0.0.1", 3000,
        "HTTP/1.1"));
    assertEquals("a=1&b=2", text.get("body").asText());
    assertFalse(text.get("isBase64Encoded").asBoolean());

    byte[] binary = {0, (byte) 0xff, 42};
    ObjectNode encoded = build(new HttpApiRequest("POST", "/postback", null,
        Map.of("Content-Type", List.of("application/octet-stream")), binary, "127.0.0.1", 3000, "HTTP/1.1"));
    assertTrue(encoded.get("isBase64Encoded").asBoolean());
    assertArrayEquals(binary, Base64.getDecoder().decode(encoded.get("body").asText()));
  }

  @Test
  void event_readsBackThroughLambdasOwnSerializer() throws Exception {
    ObjectNode event = build(new HttpApiRequest("GET", "/click", "campaign_id=c1&sub1=x",
        Map.of("User-Agent", List.of("it")), new byte[0], "127.0.0.1", 3000, "HTTP/1.1"));
    APIGatewayV2HTTPEvent typed = LambdaEventSerializers
        .serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader())
        .fromJson(new ByteArrayInputStream(json.writeValueAsBytes(event)));
    assertEquals("GET /click", typed.getRouteKey());
    assertEquals("c1", typed.getQueryStringParameters().get("campaign_id"));
    assertEquals("it", typed.getHeaders().get("user-agent"));
    assertEquals("127.0.0.1", typed.getRequestContext().getHttp().getSourceIp());
    assertEquals("$default", typed.getRequestContext().getStage());
    assertNull(typed.getBody());
  }

  @Test
  void textContentTypes_areRecognised() {
    assertTrue(HttpApiEvents.isText("application/json"));
    assertTrue(HttpApiEvents.isText("application/problem+json"));
    assertTrue(HttpApiEvents.isText("text/plain; charset=utf-8"));
    assertFalse(HttpApiEvents.isText("image/png"));
    assertFalse(HttpApiEvents.isText(null));
  }

  private ObjectNode build(HttpApiRequest request) {
    RouteTable.Match match = routes.match(request.method(), request.rawPath());
    return events.build(request, match, "req-1", "Root=1-x", NOW);
  }
}
