package dev.postbackrelay.lambda.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postbackrelay.Params;
import dev.postbackrelay.Reason;
import dev.postbackrelay.RejectedException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads what handlers need from an API Gateway HTTP API (payload 2.0) event. */
public final class HttpRequests {

  /** Bodies above this are refused: no postback or campaign is anywhere near it. */
  public static final int MAX_BODY_BYTES = 16 * 1024;
  /** Decimals kept as written ({@code 50.00} stays {@code 50.00}), as the signing guide promises. */
  private static final ObjectMapper MAPPER = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private HttpRequests() {}

  public static String method(APIGatewayV2HTTPEvent event) {
    var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
    return http == null || http.getMethod() == null ? "GET" : http.getMethod().toUpperCase(Locale.ROOT);
  }

  public static String path(APIGatewayV2HTTPEvent event) {
    return event.getRawPath() == null ? "/" : event.getRawPath();
  }

  public static String sourceIp(APIGatewayV2HTTPEvent event) {
    var http = event.getRequestContext() == null ? null : event.getRequestContext().getHttp();
    return http == null ? null : http.getSourceIp();
  }

  public static String requestId(APIGatewayV2HTTPEvent event) {
    return event.getRequestContext() == null ? null : event.getRequestContext().getRequestId();
  }

  /** The scheme and host the caller reached us at, as API Gateway forwards them: {@code https://api.example}. */
  public static String baseUrl(APIGatewayV2HTTPEvent event) {
    String proto = header(event, "x-forwarded-proto");
    String host = header(event, "host");
    if (host == null && event.getRequestContext() != null) {
      host = event.getRequestContext().getDomainName();
    }
    return (proto == null ? "https" : proto) + "://" + (host == null ? "localhost" : host);
  }

  /** A header by lower-case name (API Gateway lower-cases them), or null. */
  public static String header(APIGatewayV2HTTPEvent event, String name) {
    Map<String, String> headers = event.getHeaders();
    return headers == null ? null : headers.get(name);
  }

  /** The query string's parameters, in order, from the raw query string (exactly what was sent). */
  public static List<Map.Entry<String, String>> query(APIGatewayV2HTTPEvent event) {
    return formDecode(event.getRawQueryString());
  }

  /** Query parameters followed by the body's (form or flat JSON object); the query wins on clashes. */
  public static Params queryAndBody(APIGatewayV2HTTPEvent event) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>(query(event));
    String body = body(event);
    if (body != null && !body.isBlank()) {
      String type = contentType(event);
      if (type.startsWith("application/json")) {
        pairs.addAll(jsonObject(body));
      } else if (type.startsWith("application/x-www-form-urlencoded") || type.isEmpty()) {
        pairs.addAll(formDecode(body));
      } else {
        throw new RejectedException(Reason.UNSUPPORTED_MEDIA_TYPE);
      }
    }
    return Params.of(pairs);
  }

  /** The body as text, base64-decoded when API Gateway encoded it; refused above the size limit. */
  public static String body(APIGatewayV2HTTPEvent event) {
    String body = event.getBody();
    if (body == null) {
      return null;
    }
    byte[] bytes = event.getIsBase64Encoded() ? decodeBase64(body) : body.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_BODY_BYTES) {
      throw new RejectedException(Reason.PAYLOAD_TOO_LARGE);
    }
    return event.getIsBase64Encoded() ? new String(bytes, StandardCharsets.UTF_8) : body;
  }

  private static byte[] decodeBase64(String body) {
    try {
      return Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "The body is not valid base64.");
    }
  }

  private static String contentType(APIGatewayV2HTTPEvent event) {
    String type = header(event, "content-type");
    return type == null ? "" : type.toLowerCase(Locale.ROOT).trim();
  }

  static List<Map.Entry<String, String>> formDecode(String raw) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    if (raw == null || raw.isEmpty()) {
      return pairs;
    }
    for (String part : raw.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      pairs.add(Map.entry(decode(name), decode(value)));
    }
    return pairs;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "A parameter is not correctly URL-encoded (a '%' must be followed by two hex digits).");
    }
  }

  private static List<Map.Entry<String, String>> jsonObject(String body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "The body is not valid JSON.");
    }
    if (node == null || !node.isObject()) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "The JSON body must be an object of name/value pairs.");
    }
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    node.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (!v.isNull()) {
        pairs.add(Map.entry(e.getKey(), v.isValueNode() ? v.asText() : v.toString()));
      }
    });
    return pairs;
  }
}
