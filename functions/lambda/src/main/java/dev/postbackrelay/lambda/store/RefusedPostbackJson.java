package dev.postbackrelay.lambda.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.logs.RefusedPostback;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stored form of a {@link RefusedPostback}: snake-case JSON, parameters as {@code [name, value]} pairs in arrival order. */
final class RefusedPostbackJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private RefusedPostbackJson() {}

  static String write(RefusedPostback r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", r.id());
    n.put("received_at", r.receivedAt().toString());
    n.put("method", r.method());
    n.put("source_ip", r.sourceIp());
    n.put("campaign_id", r.campaignId());
    ArrayNode params = n.putArray("params");
    r.params().forEach(p -> params.addArray().add(p.getKey()).add(p.getValue()));
    ObjectNode fields = n.putObject("fields");
    r.fields().forEach(fields::put);
    ObjectNode names = n.putObject("field_names");
    r.fieldNames().forEach(names::put);
    n.put("reason", r.reason());
    n.put("message", r.message());
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a refused postback", e);
    }
  }

  static RefusedPostback read(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      List<Map.Entry<String, String>> params = new ArrayList<>();
      n.path("params").forEach(p -> params.add(Map.entry(p.get(0).asText(), p.get(1).asText())));
      return new RefusedPostback(n.get("id").asText(), Instant.parse(n.get("received_at").asText()),
          text(n, "method"), text(n, "source_ip"), text(n, "campaign_id"), params, strings(n.path("fields")),
          strings(n.path("field_names")), n.get("reason").asText(), text(n, "message"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable refused postback", e);
    }
  }

  private static Map<String, String> strings(JsonNode n) {
    Map<String, String> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
