package dev.postbackrelay.localruntime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.localruntime.template.LocalValues;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the Lambda event of an HTTP API (payload format 2.0) as API Gateway does: header names
 * lower-cased and repeated values joined with commas, the {@code cookie} header moved to
 * {@code cookies}, {@code x-forwarded-*} added, query parameters decoded with repeated keys joined
 * with commas, path parameters decoded, a body that is not text base64-encoded, and the
 * {@code requestContext} of the {@code $default} stage. Absent parts are left out, not null.
 */
public final class HttpApiEvents {

  /** The API id the local gateway reports. */
  public static final String API_ID = "local";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final ObjectMapper json;

  public HttpApiEvents(ObjectMapper json) {
    this.json = json;
  }

  /** The event for {@code request} matched to {@code match}, received at {@code now}. */
  public ObjectNode build(HttpApiRequest request, RouteTable.Match match, String requestId, String traceId,
      Instant now) {
    ObjectNode event = json.createObjectNode();
    String routeKey = match.target().route().routeKey();
    event.put("version", "2.0");
    event.put("routeKey", routeKey);
    event.put("rawPath", request.rawPath());
    event.put("rawQueryString", request.rawQuery() == null ? "" : request.rawQuery());

    Map<String, String> headers = headers(request);
    String cookieHeader = headers.remove("cookie");
    if (cookieHeader != null) {
      ArrayNode cookies = event.putArray("cookies");
      for (String cookie : cookieHeader.split(";")) {
        if (!cookie.isBlank()) {
          cookies.add(cookie.trim());
        }
      }
    }
    headers.put("x-forwarded-for", forwardedFor(headers.get("x-forwarded-for"), request.sourceIp()));
    headers.put("x-forwarded-port", Integer.toString(request.localPort()));
    headers.put("x-forwarded-proto", "http");
    headers.put("x-amzn-trace-id", traceId);
    ObjectNode headerNode = event.putObject("headers");
    headers.forEach(headerNode::put);

    Map<String, String> query = queryParameters(request.rawQuery());
    if (!query.isEmpty()) {
      ObjectNode queryNode = event.putObject("queryStringParameters");
      query.forEach(queryNode::put);
    }
    if (!match.pathParameters().isEmpty()) {
      ObjectNode pathNode = event.putObject("pathParameters");
      match.pathParameters().forEach(pathNode::put);
    }

    String host = headers.getOrDefault("host", "127.0.0.1");
    String domainName = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
    ObjectNode context = event.putObject("requestContext");
    context.put("accountId", LocalValues.ACCOUNT);
    context.put("apiId", API_ID);
    context.put("domainName", domainName);
    context.put("domainPrefix", domainName.contains(".") ? domainName.substring(0, domainName.indexOf('.')) : domainName);
    ObjectNode http = context.putObject("http");
    http.put("method", request.method());
    http.put("path", request.rawPath());
    http.put("protocol", request.protocol());
    http.put("sourceIp", request.sourceIp());
    http.put("userAgent", headers.getOrDefault("user-agent", ""));
    context.put("requestId", requestId);
    context.put("routeKey", routeKey);
    context.put("stage", "$default");
    context.put("time", TIME.format(now));
    context.put("timeEpoch", now.toEpochMilli());

    byte[] body = request.body();
    if (body.length > 0) {
      boolean text = isText(headers.get("content-type"));
      event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
      event.put("isBase64Encoded", !text);
    } else {
      event.put("isBase64Encoded", false);
    }
    return event;
  }

  /** Header names lower-cased; repeated headers, and repeated values, joined with commas. */
  static Map<String, String> headers(HttpApiRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    request.headers().forEach((name, values) -> {
      String key = name.toLowerCase(Locale.ROOT);
      String joined = String.join(",", values);
      headers.merge(key, joined, (a, b) -> a + "," + b);
    });
    return headers;
  }

  /** Decoded query parameters; a key given more than once has its values joined with commas. */
  static Map<String, String> queryParameters(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      parameters.merge(key, value, (a, b) -> a + "," + b);
    }
    return parameters;
  }

  /** Whether API Gateway passes a body of this content type as text rather than base64. */
  static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.startsWith("text/") || type.endsWith("+json") || type.endsWith("+xml")
        || List.of("application/json", "application/xml", "application/javascript",
            "application/x-www-form-urlencoded", "application/graphql").contains(type);
  }

  private static String forwardedFor(String existing, String sourceIp) {
    return existing == null || existing.isBlank() ? sourceIp : existing + ", " + sourceIp;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }
}
