package dev.postbackrelay.lambda;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;

/**
 * The real-shaped event fixtures under {@code events/} (the same files {@code sam local invoke}
 * takes), adjusted per test, and posted to Quarkus's mock Lambda event server, which invokes the
 * handler selected by {@code quarkus.lambda.handler} exactly as the Lambda runtime does.
 */
public final class Events {

  public static final ObjectMapper JSON = new ObjectMapper();

  private Events() {}

  public static ObjectNode load(String name) {
    try {
      return (ObjectNode) JSON.readTree(Files.readString(LocalAws.repoRoot().resolve("events").resolve(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An HTTP API event for {@code method path?query} built from the GET postback fixture's shape. */
  public static ObjectNode http(String method, String routeKey, String path, String query) {
    ObjectNode event = load("postback-get.json");
    event.put("routeKey", routeKey);
    event.put("rawPath", path);
    event.put("rawQueryString", query);
    ObjectNode context = (ObjectNode) event.get("requestContext");
    context.put("routeKey", routeKey);
    ((ObjectNode) context.get("http")).put("method", method).put("path", path);
    return event;
  }

  public static ObjectNode withBase64Body(ObjectNode event, String body) {
    event.put("body", Base64.getEncoder().encodeToString(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    event.put("isBase64Encoded", true);
    return event;
  }

  /** Invokes the function under test with {@code event}; returns its response as JSON. */
  public static JsonNode invoke(JsonNode event) {
    String response = given().contentType("application/json").accept("application/json").body(event.toString())
        .when().post().then().statusCode(200).extract().asString();
    try {
      return JSON.readTree(response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON body of an HTTP API response. */
  public static JsonNode body(JsonNode response) {
    try {
      return JSON.readTree(response.path("body").asText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
