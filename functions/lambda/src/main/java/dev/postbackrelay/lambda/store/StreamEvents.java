package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.TrackingItems.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.stats.Fact;
import dev.postbackrelay.stats.StreamChange;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads the tracking table's stream event (Lambda's DynamoDB event JSON) into facts: a click item
 * is a {@link Fact.Clicked}, a conversion item a {@link Fact.Converted}, any other item nothing. A
 * removal by the service ({@code userIdentity} {@code dynamodb.amazonaws.com}) is the time to live.
 */
public final class StreamEvents {

  /** One record: its id, sequence number, and change as facts. */
  public record Record(String eventId, String eventSourceArn, StreamChange change) {}

  private StreamEvents() {}

  public static List<Record> read(JsonNode event) {
    List<Record> out = new ArrayList<>();
    for (JsonNode r : event.path("Records")) {
      JsonNode ddb = r.path("dynamodb");
      String name = r.path("eventName").asText();
      boolean byService = "Service".equals(r.path("userIdentity").path("type").asText())
          && "dynamodb.amazonaws.com".equals(r.path("userIdentity").path("principalId").asText());
      StreamChange.Kind kind = switch (name) {
        case "INSERT" -> StreamChange.Kind.INSERT;
        case "MODIFY" -> StreamChange.Kind.MODIFY;
        case "REMOVE" -> byService ? StreamChange.Kind.EXPIRED : StreamChange.Kind.REMOVE;
        default -> throw new IllegalArgumentException("unknown stream event " + name);
      };
      StreamChange change = new StreamChange(new BigInteger(ddb.path("SequenceNumber").asText()), kind,
          fact(item(ddb.path("OldImage"))), fact(item(ddb.path("NewImage"))));
      out.add(new Record(r.path("eventID").asText(), r.path("eventSourceARN").asText(), change));
    }
    return out;
  }

  static Fact fact(Map<String, AttributeValue> item) {
    String sk = Attr.str(item, SK);
    if (sk == null) {
      return null;
    }
    String sub1 = Attr.stringMap(item, sk.equals(CLICK_SK) ? SUBS : EXTRA).get("sub1");
    if (sk.equals(CLICK_SK)) {
      return new Fact.Clicked(Attr.str(item, CAMPAIGN_ID), Attr.str(item, AFFILIATE_ID), sub1,
          Attr.millis(item, CREATED_AT));
    }
    if (!sk.startsWith(CONVERSION_PREFIX)) {
      return null;
    }
    BigDecimal revenue = Attr.decimal(item, REVENUE);
    String revenueCurrency = Attr.str(item, REVENUE_CURRENCY);
    if (revenue == null) { // conversions stored before revenue was: the amount as sent
      revenue = Attr.decimal(item, AMOUNT);
      revenueCurrency = Attr.str(item, CURRENCY);
    }
    return new Fact.Converted(Attr.str(item, CAMPAIGN_ID), Attr.str(item, AFFILIATE_ID), sub1,
        Attr.str(item, EVENT), ConversionStatus.fromCode(Attr.str(item, STATUS)),
        Instant.ofEpochMilli(Attr.num(item, CREATED_AT)), revenue, revenueCurrency, Attr.decimal(item, PAYOUT),
        Attr.str(item, PAYOUT_CURRENCY));
  }

  /** An image in DynamoDB's JSON ({@code {"S": ...}}, {@code {"N": ...}}, ...) as SDK attribute values. */
  static Map<String, AttributeValue> item(JsonNode image) {
    Map<String, AttributeValue> out = new HashMap<>();
    image.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
    return out;
  }

  private static AttributeValue value(JsonNode v) {
    var field = v.fields().next();
    JsonNode x = field.getValue();
    return switch (field.getKey()) {
      case "S" -> AttributeValue.fromS(x.asText());
      case "N" -> AttributeValue.fromN(x.asText());
      case "BOOL" -> AttributeValue.fromBool(x.asBoolean());
      case "NULL" -> AttributeValue.fromNul(true);
      case "M" -> {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        x.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
        yield AttributeValue.fromM(m);
      }
      case "L" -> {
        List<AttributeValue> l = new ArrayList<>();
        x.forEach(e -> l.add(value(e)));
        yield AttributeValue.fromL(l);
      }
      case "SS" -> {
        List<String> l = new ArrayList<>();
        x.forEach(e -> l.add(e.asText()));
        yield AttributeValue.fromSs(l);
      }
      case "NS" -> {
        List<String> l = new ArrayList<>();
        x.forEach(e -> l.add(e.asText()));
        yield AttributeValue.fromNs(l);
      }
      case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(x.asText())));
      default -> AttributeValue.fromNul(true); // a binary set: nothing the stats read
    };
  }
}
