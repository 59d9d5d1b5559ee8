package dev.postbackrelay.localruntime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpApiResponsesTest {

  private final HttpApiResponses responses = new HttpApiResponses(new ObjectMapper());

  @Test
  void structuredResponse_setsStatusHeadersCookiesAndBody() {
    GatewayResponse r = map("""
        {"statusCode":302,"headers":{"Location":"https://example.com/lp?cid=x","Cache-Control":"no-store"},
         "multiValueHeaders":{"X-Many":["a","b"]},"cookies":["s=1; HttpOnly","t=2"],"body":null,
         "isBase64Encoded":false}""");
    assertEquals(302, r.status());
    assertEquals("https://example.com/lp?cid=x", r.header("location"));
    assertEquals(List.of("a", "b"), r.headers().get("x-many"));
    assertEquals(List.of("s=1; HttpOnly", "t=2"), r.headers().get("set-cookie"));
    assertEquals(0, r.body().length);
  }

  @Test
  void base64Body_isDecoded() {
    GatewayResponse r = map("{\"statusCode\":\"200\",\"headers\":{\"content-type\":\"image/gif\"},"
        + "\"body\":\"R0lGODlh\",\"isBase64Encoded\":true}");
    assertEquals(200, r.status());
    assertEquals("image/gif", r.header("content-type"));
    assertEquals("GIF89a", new String(r.body(), StandardCharsets.US_ASCII));
  }

  @Test
  void jsonWithoutStatusCode_isTheBodyOfA200() {
    GatewayResponse r = map("{\"status\":\"accepted\"}");
    assertEquals(200, r.status());
    assertEquals("application/json", r.header("content-type"));
    assertEquals("{\"status\":\"accepted\"}", new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void structuredResponse_getsNoHeaderItDidNotSet() {
    GatewayResponse r = map("{\"statusCode\":400,\"body\":\"{\\\"error\\\":\\\"missing_click_id\\\"}\"}");
    assertEquals(400, r.status());
    assertNull(r.header("content-type"));
    assertEquals("{\"error\":\"missing_click_id\"}", new String(r.body(), StandardCharsets.UTF_8));
  }

  @Test
  void payloadThatIsNotJson_isAnInternalServerError() {
    GatewayResponse r = map("not json");
    assertEquals(500, r.status());
    assertEquals("{\"message\":\"Internal Server Error\"}", new String(r.body(), StandardCharsets.UTF_8));
  }

  private GatewayResponse map(String payload) {
    return responses.toHttp(payload.getBytes(StandardCharsets.UTF_8));
  }
}
