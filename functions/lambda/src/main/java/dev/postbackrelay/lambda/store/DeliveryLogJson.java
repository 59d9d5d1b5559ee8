package dev.postbackrelay.lambda.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.forwarding.DeliveryLogEntry;
import java.time.Instant;
import java.util.Locale;

/** The stored form of a {@link DeliveryLogEntry}: snake-case JSON. */
final class DeliveryLogJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DeliveryLogJson() {}

  static ObjectNode tree(DeliveryLogEntry e) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("delivery_id", e.deliveryId()).put("campaign_id", e.campaignId()).put("click_id", e.clickId())
        .put("conversion_key", e.conversionKey()).put("destination", e.destination()).put("status", e.status().code())
        .put("attempt", e.attempt()).put("at", e.at().toString()).put("outcome", e.outcome().code())
        .put("method", e.method()).put("url", e.url()).put("body", e.body()).put("http_status", e.httpStatus())
        .put("response", e.response()).put("latency_ms", e.latencyMillis())
        .put("next_retry_at", e.nextRetryAt() == null ? null : e.nextRetryAt().toString()).put("reason", e.reason())
        .put("possible_repeat", e.possibleRepeat());
    return n;
  }

  static String write(DeliveryLogEntry e) {
    try {
      return MAPPER.writeValueAsString(tree(e));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("cannot serialise a delivery log entry", ex);
    }
  }

  static DeliveryLogEntry read(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      return new DeliveryLogEntry(n.get("delivery_id").asText(), n.get("campaign_id").asText(), n.get("click_id").asText(),
          n.get("conversion_key").asText(), n.get("destination").asText(),
          ConversionStatus.valueOf(n.get("status").asText().toUpperCase(Locale.ROOT)), n.get("attempt").asInt(),
          Instant.parse(n.get("at").asText()),
          DeliveryLogEntry.Outcome.valueOf(n.get("outcome").asText().toUpperCase(Locale.ROOT)), text(n, "method"),
          text(n, "url"), text(n, "body"), n.get("http_status").asInt(), text(n, "response"), n.get("latency_ms").asLong(),
          text(n, "next_retry_at") == null ? null : Instant.parse(text(n, "next_retry_at")), text(n, "reason"),
          n.path("possible_repeat").asBoolean(false));
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("unreadable delivery log entry", ex);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
