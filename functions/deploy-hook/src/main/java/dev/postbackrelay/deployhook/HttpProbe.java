package dev.postbackrelay.deployhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One synthetic HTTP API request (payload format 2.0, as API Gateway sends it) to one function
 * version, and the refusal it must produce: refused before anything is written.
 *
 * @param name what the probe sends, for the report
 * @param label the request id's last part ({@code pretraffic-<deployment id>-<label>})
 * @param functionArn the qualified ARN of the version under test
 * @param route the route's path as the template declares it ({@code /admin/campaigns/{campaign_id}});
 *     the method is always GET
 * @param pathParameters the values of the route's path parameters
 * @param query the query string parameters (kept sorted, so the event is the same every time)
 * @param expectedStatus the HTTP status the version must answer with
 * @param expectedError the {@code error} reason code the JSON body must carry
 */
record HttpProbe(String name, String label, String functionArn, String route, Map<String, String> pathParameters,
    Map<String, String> query, int expectedStatus, String expectedError) implements Probe {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  HttpProbe {
    pathParameters = Collections.unmodifiableSortedMap(new TreeMap<>(pathParameters));
    query = Collections.unmodifiableSortedMap(new TreeMap<>(query));
  }

  /** The request's path: the route with its parameters filled in. */
  String path() {
    String path = route;
    for (var p : pathParameters.entrySet()) {
      path = path.replace("{" + p.getKey() + "}", p.getValue());
    }
    return path;
  }

  /** The API Gateway event, with a request id that ties the version's logs to the deployment. */
  @Override
  public String event(String deploymentId, Instant now) {
    String path = path();
    String rawQuery = query.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    ObjectNode event = JSON.createObjectNode()
        .put("version", "2.0")
        .put("routeKey", "GET " + route)
        .put("rawPath", path)
        .put("rawQueryString", rawQuery);
    event.putObject("headers")
        .put("accept", "application/json")
        .put("host", "pretraffic.invalid")
        .put("user-agent", "postback-relay-pretraffic-hook")
        .put("x-forwarded-proto", "https");
    if (!query.isEmpty()) {
      ObjectNode parameters = event.putObject("queryStringParameters");
      query.forEach(parameters::put);
    }
    if (!pathParameters.isEmpty()) {
      ObjectNode parameters = event.putObject("pathParameters");
      pathParameters.forEach(parameters::put);
    }
    ObjectNode context = event.putObject("requestContext")
        .put("apiId", "pretraffic")
        .put("domainName", "pretraffic.invalid")
        .put("domainPrefix", "pretraffic")
        .put("requestId", Probe.probeId(deploymentId, label))
        .put("routeKey", "GET " + route)
        .put("stage", "$default")
        .put("time", REQUEST_TIME.format(now))
        .put("timeEpoch", now.toEpochMilli());
    context.putObject("http")
        .put("method", "GET")
        .put("path", path)
        .put("protocol", "HTTP/1.1")
        .put("sourceIp", "192.0.2.1") // TEST-NET-1: documentation range, never a real client
        .put("userAgent", "postback-relay-pretraffic-hook");
    event.put("isBase64Encoded", false);
    return event.toString();
  }

  @Override
  public Optional<String> failure(String payload, String deploymentId) {
    try {
      JsonNode response = JSON.readTree(payload);
      int status = response.path("statusCode").asInt(-1);
      String body = response.path("body").asText("");
      if (response.path("isBase64Encoded").asBoolean(false)) {
        body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
      }
      String error = status == expectedStatus ? JSON.readTree(body).path("error").asText(null) : null;
      if (status == expectedStatus && expectedError.equals(error)) {
        return Optional.empty();
      }
      return Optional.of("%s: expected %d with error %s, got %d %s"
          .formatted(name, expectedStatus, expectedError, status, Probe.excerpt(body)));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.of("%s: expected %d with error %s, got an unreadable response %s"
          .formatted(name, expectedStatus, expectedError, Probe.excerpt(String.valueOf(payload))));
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
