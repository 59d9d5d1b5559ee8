package dev.postbackrelay.lambda.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import java.io.IOException;
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
  /** Strict JSON (no comments, NaN or single quotes), with Jackson's default nesting and length limits. */
  private static final JsonFactory JSON = new JsonFactory();

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

  /**
   * The query string's parameters, in order, from the raw query string (exactly what was sent),
   * after {@link Params}'s name rules: every route reads its query through here.
   */
  public static List<Map.Entry<String, String>> query(APIGatewayV2HTTPEvent event) {
    return Params.of(formDecode(event.getRawQueryString())).pairs();
  }

  /**
   * Query parameters followed by the body's (form or flat JSON object), judged by {@link Params}:
   * a repeated name keeps its first value, so the query wins on clashes.
   */
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

  /**
   * The members of a JSON object body, in order, repeats kept (so {@link Params} applies the same
   * first-wins rule as to a query string). Read as tokens, never converted: a number is its text as
   * written ({@code 50.00} stays {@code 50.00}, {@code 1e2147483648} stays text for the field's own
   * check), a nested object or array is its JSON text as sent, {@code null} is as if absent. Anything
   * after the object, and nesting or numbers beyond the parser's limits, are refused.
   */
  static List<Map.Entry<String, String>> jsonObject(String body) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new RejectedException(Reason.INVALID_PARAMETER, "The JSON body must be an object of name/value pairs.");
      }
      for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          int from = (int) parser.currentTokenLocation().getCharOffset();
          parser.skipChildren();
          pairs.add(Map.entry(name, body.substring(from, (int) parser.currentLocation().getCharOffset())));
        } else if (value != JsonToken.VALUE_NULL) {
          pairs.add(Map.entry(name, parser.getText()));
        }
      }
      if (parser.nextToken() != null) {
        throw new RejectedException(Reason.INVALID_PARAMETER, "The JSON body has text after its closing '}'.");
      }
    } catch (StreamConstraintsException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "The JSON body nests too deeply or holds a number or string that is too long.");
    } catch (IOException e) {
      throw new RejectedException(Reason.INVALID_PARAMETER, "The body is not valid JSON.");
    }
    return pairs;
  }
}
