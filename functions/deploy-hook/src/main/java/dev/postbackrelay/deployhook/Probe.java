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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One synthetic HTTP API request (payload format 2.0, as API Gateway sends it) to one function
 * version, and the refusal it must produce. Every probe is refused before anything is written,
 * so running them against production stores nothing.
 *
 * @param name what the probe sends, for the report
 * @param functionArn the qualified ARN of the version under test
 * @param path the route's path; the method is always GET
 * @param query the query string parameters (kept sorted, so the event is the same every time)
 * @param expectedStatus the HTTP status the version must answer with
 * @param expectedError the {@code error} reason code the JSON body must carry
 */
record Probe(String name, String functionArn, String path, Map<String, String> query,
    int expectedStatus, String expectedError) {

  /** Environment variable holding the ClickFunction version's ARN ({@code !Ref ClickFunction.Version}). */
  static final String CLICK_VERSION_ENV = "CLICK_FUNCTION_VERSION_ARN";
  /** Environment variable holding the PostbackFunction version's ARN. */
  static final String POSTBACK_VERSION_ENV = "POSTBACK_FUNCTION_VERSION_ARN";
  /** A campaign id that is never created: the click must be refused as unknown, and nothing stored. */
  static final String UNKNOWN_CAMPAIGN_ID = "pretraffic-probe-no-such-campaign";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int EXCERPT = 300;

  Probe {
    query = Collections.unmodifiableSortedMap(new TreeMap<>(query));
  }

  /** The probes the deployed hook runs, aimed at the versions its environment names. */
  static List<Probe> fromEnvironment(Map<String, String> env) {
    return List.of(
        new Probe("click for an unknown campaign", required(env, CLICK_VERSION_ENV), "/click",
            Map.of("campaign_id", UNKNOWN_CAMPAIGN_ID, "affiliate_id", "pretraffic-probe"),
            404, "unknown_campaign"),
        new Probe("postback without a click id", required(env, POSTBACK_VERSION_ENV), "/postback",
            Map.of("event", "pretraffic_probe"),
            400, "missing_click_id"));
  }

  /** Sends the probe; returns why the version misbehaved, or empty when it answered as it must. */
  Optional<String> run(VersionInvoker invoker, String deploymentId, Instant now) {
    String payload;
    try {
      payload = invoker.invoke(functionArn, event(deploymentId, now));
    } catch (RuntimeException e) {
      return Optional.of(name + ": " + e.getMessage());
    }
    return failure(payload);
  }

  /** The API Gateway event, with a request id that ties the version's logs to the deployment. */
  String event(String deploymentId, Instant now) {
    String requestId = "pretraffic-" + deploymentId.replaceAll("[^A-Za-z0-9-]", "") + "-" + path.substring(1);
    String rawQuery = query.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    ObjectNode event = JSON.createObjectNode()
        .put("version", "2.0")
        .put("routeKey", "GET " + path)
        .put("rawPath", path)
        .put("rawQueryString", rawQuery);
    event.putObject("headers")
        .put("accept", "application/json")
        .put("host", "pretraffic.invalid")
        .put("user-agent", "postback-relay-pretraffic-hook")
        .put("x-forwarded-proto", "https");
    ObjectNode parameters = event.putObject("queryStringParameters");
    query.forEach(parameters::put);
    ObjectNode context = event.putObject("requestContext")
        .put("apiId", "pretraffic")
        .put("domainName", "pretraffic.invalid")
        .put("domainPrefix", "pretraffic")
        .put("requestId", requestId)
        .put("routeKey", "GET " + path)
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

  /** Checks the function's response; returns why it is wrong, or empty. */
  Optional<String> failure(String payload) {
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
          .formatted(name, expectedStatus, expectedError, status, excerpt(body)));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.of("%s: expected %d with error %s, got an unreadable response %s"
          .formatted(name, expectedStatus, expectedError, excerpt(payload)));
    }
  }

  private static String required(Map<String, String> env, String variable) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(variable + " is not set: the template passes each probed version's ARN");
    }
    return value;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String excerpt(String text) {
    return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
  }
}
