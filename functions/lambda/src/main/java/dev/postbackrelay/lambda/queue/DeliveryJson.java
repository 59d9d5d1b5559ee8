package dev.postbackrelay.lambda.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.attribution.Delivery;
import dev.postbackrelay.common.ConversionStatus;
import java.time.Instant;

/** The delivery queue's message body. */
public final class DeliveryJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DeliveryJson() {}

  public static String write(Delivery d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("click_id", d.clickId());
    n.put("conversion_key", d.conversionKey());
    n.put("destination_id", d.destinationId());
    n.put("status", d.status().code());
    if (d.replayedAt() != null) {
      n.put("replayed_at", d.replayedAt().toString());
    }
    return n.toString();
  }

  public static Delivery read(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      return new Delivery(n.path("click_id").asText(), n.path("conversion_key").asText(),
          n.path("destination_id").asText(), ConversionStatus.fromCode(n.path("status").asText()),
          n.hasNonNull("replayed_at") ? Instant.parse(n.get("replayed_at").asText()) : null);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("not a delivery message", e);
    }
  }
}
