package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.Attr.str;

import dev.postbackrelay.common.Page;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The tracking table's {@code by-campaign} index: clicks and conversions listed per campaign and
 * UTC day, sorted by a time-sortable id ({@code gsk}: the click id, the counting postback's id).
 * Clicks, the busiest writes, spread over {@link #CLICK_SHARDS} partitions per campaign and day, so
 * that one campaign's burst stays under a partition's write limit; a list reads every shard of a
 * day and merges them, newest first. Only items that carry the keys are in the index.
 */
final class CampaignIndex {

  static final String NAME = "by-campaign";
  static final String GPK = "gpk";
  static final String GSK = "gsk";
  static final int CLICK_SHARDS = 4;
  private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

  private CampaignIndex() {}

  static String clickPartition(String campaignId, Instant at, String clickId) {
    int shard = ALPHABET.indexOf(clickId.charAt(clickId.length() - 1)) % CLICK_SHARDS;
    return "clicks#" + campaignId + "#" + day(at) + "#" + Math.max(shard, 0);
  }

  static List<String> clickPartitions(String campaignId, LocalDate day) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < CLICK_SHARDS; i++) {
      out.add("clicks#" + campaignId + "#" + day + "#" + i);
    }
    return out;
  }

  static String conversionPartition(String campaignId, Instant at) {
    return "convs#" + campaignId + "#" + day(at);
  }

  private static LocalDate day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  /**
   * One page, newest first: the days from {@code end} back to {@code start}, each day's partitions
   * ({@code partitions}) read between {@code lo} and {@code hi} and merged by sort key.
   */
  static <T> Page<T> list(DynamoDbClient dynamo, String table, Function<LocalDate, List<String>> partitions,
      Instant start, Instant end, String lo, String hi, Function<Map<String, AttributeValue>, T> read,
      Predicate<T> matches, int limit, String cursor) {
    return list(dynamo, table, NAME, GPK, GSK, partitions, start, end, lo, hi, read, matches, limit, cursor);
  }

  /** The same walk over day partitions of the table itself ({@code index} null) or of another index. */
  static <T> Page<T> list(DynamoDbClient dynamo, String table, String index, String pkName, String skName,
      Function<LocalDate, List<String>> partitions, Instant start, Instant end, String lo, String hi,
      Function<Map<String, AttributeValue>, T> read, Predicate<T> matches, int limit, String cursor) {
    String[] at = cursor == null ? null : PageCursors.decode(cursor, raw -> {
      String[] parts = raw.split("\\|", 2);
      LocalDate.parse(parts[0]);
      if (!parts[1].isEmpty() && !parts[1].matches("[0-9a-z]{20,64}")) {
        throw new IllegalArgumentException("bad sort key");
      }
      return parts;
    });
    LocalDate first = day(start);
    LocalDate dayOf = at != null ? LocalDate.parse(at[0]) : day(end);
    String after = at != null && !at[1].isEmpty() ? at[1] : null;
    List<Row<T>> out = new ArrayList<>();
    for (LocalDate d = dayOf; !d.isBefore(first) && out.size() < limit; d = d.minusDays(1), after = null) {
      List<Row<T>> day = new ArrayList<>();
      boolean more = false;
      for (String pk : partitions.apply(d)) {
        Map<String, AttributeValue> from = null;
        int found = 0;
        do {
          Map<String, AttributeValue> startKey = from;
          String upper = after != null ? after : hi;
          QueryResponse page = dynamo.query(b -> b.tableName(table).indexName(index)
              .keyConditionExpression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
              .expressionAttributeNames(Map.of("#pk", pkName, "#sk", skName))
              .expressionAttributeValues(Map.of(":pk", s(pk), ":lo", s(lo), ":hi", s(upper)))
              .scanIndexForward(false).limit(limit + 1).exclusiveStartKey(startKey));
          for (Map<String, AttributeValue> item : page.items()) {
            String sk = str(item, skName);
            T value = read.apply(item);
            if (sk.equals(after) || !matches.test(value)) {
              continue;
            }
            if (found == limit) {
              more = true;
              break;
            }
            day.add(new Row<>(sk, value));
            found++;
          }
          from = found < limit && page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey() : null;
          more |= found == limit && page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty();
        } while (from != null);
      }
      day.sort(Comparator.comparing((Row<T> r) -> r.sortKey()).reversed());
      int room = limit - out.size();
      if (day.size() > room || (more && day.size() == room)) {
        out.addAll(day.subList(0, room));
        return page(out, d + "|" + out.get(out.size() - 1).sortKey());
      }
      out.addAll(day);
      if (out.size() == limit && d.isAfter(first)) {
        return page(out, d.minusDays(1) + "|");
      }
    }
    return page(out, null);
  }

  private static <T> Page<T> page(List<Row<T>> rows, String position) {
    return new Page<>(rows.stream().map(Row::value).toList(), position == null ? null : PageCursors.encode(position));
  }

  private record Row<T>(String sortKey, T value) {}
}
