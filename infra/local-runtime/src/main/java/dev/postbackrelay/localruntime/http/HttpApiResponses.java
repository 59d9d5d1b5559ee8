package dev.postbackrelay.localruntime.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a function's response payload into the HTTP response, as API Gateway does for payload
 * format 2.0: a JSON object with {@code statusCode} is read for {@code statusCode}, {@code headers},
 * {@code multiValueHeaders}, {@code cookies} (one {@code Set-Cookie} each), {@code body} and
 * {@code isBase64Encoded} (no header is added); any other valid JSON is sent as the body of a 200
 * {@code application/json} response; a payload that is not JSON is a 500.
 */
public final class HttpApiResponses {

  private final ObjectMapper json;

  public HttpApiResponses(ObjectMapper json) {
    this.json = json;
  }

  public GatewayResponse toHttp(byte[] payload) {
    JsonNode root;
    try {
      root = payload.length == 0 ? json.nullNode() : json.readTree(payload);
    } catch (IOException notJson) {
      return GatewayResponse.internalServerError();
    }
    if (root == null || !root.isObject() || !root.has("statusCode")) {
      return GatewayResponse.json(200, new String(payload, StandardCharsets.UTF_8));
    }
    JsonNode status = root.get("statusCode");
    if (!status.canConvertToInt() && !status.asText().matches("\\d{3}")) {
      return GatewayResponse.internalServerError();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    root.path("headers").fields().forEachRemaining(h -> {
      if (!h.getValue().isNull()) {
        add(headers, h.getKey(), h.getValue().asText());
      }
    });
    root.path("multiValueHeaders").fields().forEachRemaining(h ->
        h.getValue().forEach(value -> add(headers, h.getKey(), value.asText())));
    root.path("cookies").forEach(cookie -> add(headers, "set-cookie", cookie.asText()));
    JsonNode body = root.get("body");
    byte[] bytes;
    if (body == null || body.isNull()) {
      bytes = new byte[0];
    } else if (root.path("isBase64Encoded").asBoolean(false)) {
      bytes = Base64.getDecoder().decode(body.asText());
    } else {
      bytes = body.asText().getBytes(StandardCharsets.UTF_8);
    }
    return new GatewayResponse(status.asInt(), headers, bytes);
  }

  private static void add(Map<String, List<String>> headers, String name, String value) {
    headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
  }
}
