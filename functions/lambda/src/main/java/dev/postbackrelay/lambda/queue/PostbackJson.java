package dev.postbackrelay.lambda.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.postback.Postback;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The wire form of a {@link Postback}: the conversion queue's message body and the postback log's
 * stored record. Snake-case names, decimals as strings (no binary floating point), times as ISO-8601;
 * {@code authenticated_by} lists the credentials the postback proved at the edge ({@code token},
 * {@code signature}, {@code ip_allowlist}), which attribution needs to decide whether its payout counts.
 * Written as ASCII (every other character escaped), so a body is always within the characters SQS
 * accepts and any text the edge accepted reads back unchanged.
 */
public final class PostbackJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private PostbackJson() {}

  public static String write(Postback p) {
    try {
      return MAPPER.writeValueAsString(tree(p));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise postback", e);
    }
  }

  public static ObjectNode tree(Postback p) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("postback_id", p.postbackId());
    n.put("received_at", p.receivedAt().toString());
    n.put("source_ip", p.sourceIp());
    n.put("click_id", p.clickId());
    n.put("campaign_id", p.campaignId());
    n.put("affiliate_id", p.affiliateId());
    n.put("event", p.event());
    n.put("txid", p.txid());
    n.put("amount", p.amount() == null ? null : p.amount().toPlainString());
    n.put("payout", p.payout() == null ? null : p.payout().toPlainString());
    n.put("currency", p.currency());
    n.put("conversion_rate", p.conversionRate() == null ? null : p.conversionRate().toPlainString());
    n.put("status", p.status() == null ? null : p.status().code());
    n.put("status_word", p.statusWord());
    n.put("customer_id", p.customerId());
    n.put("new_customer", p.newCustomer());
    ObjectNode extra = n.putObject("extra");
    p.extra().forEach(extra::put);
    var authenticatedBy = n.putArray("authenticated_by");
    p.authenticatedBy().stream().map(Postback.Authentication::code).sorted().forEach(authenticatedBy::add);
    var sent = n.putArray("params");
    p.sent().forEach(e -> sent.addArray().add(e.getKey()).add(e.getValue()));
    return n;
  }

  public static Postback read(String json) {
    try {
      return read(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a postback message", e);
    }
  }

  public static Postback read(JsonNode n) {
    Map<String, String> extra = new LinkedHashMap<>();
    n.path("extra").fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue().asText()));
    return Postback.builder()
        .postbackId(text(n, "postback_id"))
        .receivedAt(Instant.parse(text(n, "received_at")))
        .sourceIp(text(n, "source_ip"))
        .clickId(text(n, "click_id"))
        .campaignId(text(n, "campaign_id"))
        .affiliateId(text(n, "affiliate_id"))
        .event(text(n, "event"))
        .txid(text(n, "txid"))
        .amount(decimal(n, "amount"))
        .payout(decimal(n, "payout"))
        .currency(text(n, "currency"))
        .conversionRate(decimal(n, "conversion_rate"))
        .status(text(n, "status") == null ? null : ConversionStatus.fromCode(text(n, "status")))
        .statusWord(text(n, "status_word"))
        .customerId(text(n, "customer_id"))
        .newCustomer(n.path("new_customer").asBoolean(false))
        .extra(extra)
        .authenticatedBy(authenticatedBy(n))
        .sent(sent(n))
        .build();
  }

  /** The parameters as sent; absent (a message queued before the field existed): none. */
  private static List<Map.Entry<String, String>> sent(JsonNode n) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    n.path("params").forEach(pair -> out.add(Map.entry(pair.path(0).asText(), pair.path(1).asText())));
    return out;
  }

  /** Absent (a message queued before the field existed): unauthenticated, the safe reading. */
  private static Set<Postback.Authentication> authenticatedBy(JsonNode n) {
    Set<Postback.Authentication> out = EnumSet.noneOf(Postback.Authentication.class);
    n.path("authenticated_by").forEach(v -> out.add(Postback.Authentication.fromCode(v.asText())));
    return out;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static BigDecimal decimal(JsonNode n, String field) {
    String v = text(n, field);
    return v == null ? null : new BigDecimal(v);
  }
}
