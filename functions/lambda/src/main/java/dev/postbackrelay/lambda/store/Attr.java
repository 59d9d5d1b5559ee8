package dev.postbackrelay.lambda.store;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Small conversions between Java values and DynamoDB attribute values. */
final class Attr {

  private Attr() {}

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static AttributeValue n(BigDecimal value) {
    return AttributeValue.fromN(value.toPlainString());
  }

  static AttributeValue stringMap(Map<String, String> map) {
    Map<String, AttributeValue> m = new LinkedHashMap<>();
    map.forEach((k, v) -> m.put(k, s(v)));
    return AttributeValue.fromM(m);
  }

  static void putIfPresent(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  static void putIfPresent(Map<String, AttributeValue> item, String name, BigDecimal value) {
    if (value != null) {
      item.put(name, n(value));
    }
  }

  static String str(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }

  static BigDecimal decimal(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? null : new BigDecimal(v.n());
  }

  static long num(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
  }

  static Instant millis(Map<String, AttributeValue> item, String name) {
    return Instant.ofEpochMilli(num(item, name));
  }

  static Map<String, String> stringMap(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    Map<String, String> out = new LinkedHashMap<>();
    if (v != null && v.hasM()) {
      v.m().forEach((k, val) -> out.put(k, val.s()));
    }
    return out;
  }
}
