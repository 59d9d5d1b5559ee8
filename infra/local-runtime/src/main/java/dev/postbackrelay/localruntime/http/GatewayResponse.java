package dev.postbackrelay.localruntime.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An HTTP response the gateway sends: status, headers (a name may repeat, e.g. Set-Cookie), body bytes. */
public record GatewayResponse(int status, Map<String, List<String>> headers, byte[] body) {

  /** A JSON response with a body made of {@code json}. */
  public static GatewayResponse json(int status, String json) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("content-type", List.of("application/json"));
    return new GatewayResponse(status, headers, json.getBytes(StandardCharsets.UTF_8));
  }

  /** The local gateway's own error document: {@code {"error":code,"message":message}}. */
  public static GatewayResponse error(int status, String code, String message) {
    return json(status, "{\"error\":\"" + code + "\",\"message\":\"" + message.replace("\"", "'") + "\"}");
  }

  /** What API Gateway answers when the integration failed: 500 {@code Internal Server Error}. */
  public static GatewayResponse internalServerError() {
    return json(500, "{\"message\":\"Internal Server Error\"}");
  }

  /** What API Gateway answers when the integration could not be reached in time: 503. */
  public static GatewayResponse serviceUnavailable() {
    return json(503, "{\"message\":\"Service Unavailable\"}");
  }

  /** The first value of a header, by case-insensitive name, or {@code null}. */
  public String header(String name) {
    return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
  }
}
