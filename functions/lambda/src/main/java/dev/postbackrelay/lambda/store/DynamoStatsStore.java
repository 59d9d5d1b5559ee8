package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.s;

import dev.postbackrelay.stats.Counters;
import dev.postbackrelay.stats.RecordDelta;
import dev.postbackrelay.stats.StatsKey;
import dev.postbackrelay.stats.StatsRow;
import dev.postbackrelay.stats.StatsStore;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The stats table. Keys:
 * <pre>
 * pk                          sk                          item
 * h#&lt;campaign&gt;#&lt;UTC day&gt;     &lt;affiliate&gt;#&lt;HH:MM&gt;        campaign x affiliate per half hour
 * s#&lt;campaign&gt;#&lt;UTC day&gt;     &lt;affiliate&gt;#v#&lt;sub1&gt;       campaign x affiliate x sub1 per day ({@code #o}: other)
 * d#&lt;UTC day&gt;                 &lt;campaign&gt;                  the campaign's day (lists a day's campaigns)
 * subs#&lt;campaign&gt;#&lt;UTC day&gt;  v#&lt;sub1&gt;, count            the subs admitted by name that day ({@link DynamoSubAdmission})
 * </pre>
 * Each item holds its counters (named by {@link Counters}), its key's values as attributes, and per
 * stream shard {@code seq_<shard>}: the highest sequence number applied, zero-padded to 48 digits so
 * that string order is number order, and {@code writes}, the writes that applied records to it.
 * {@link #add} is one conditional {@code UpdateItem}: {@code ADD}
 * the records' counters and {@code SET} the seq, if the stored seq is absent or below the first
 * record's; when it is not, the item is read from the failed condition and only the records above
 * it are applied (conditional on that seq). A report reads one partition per campaign and UTC day.
 */
public final class DynamoStatsStore implements StatsStore {

  static final String CAMPAIGN_ID = "campaign_id";
  static final String AFFILIATE_ID = "affiliate_id";
  static final String SUB1 = "sub1";
  static final String START = "start";
  static final String SEQ_PREFIX = "seq_";
  static final int SEQ_DIGITS = 48;
  /** How many writes applied records to the item (the benchmark's writes per 1,000 events). */
  static final String WRITES = "writes";

  private final DynamoDbClient dynamo;
  private final String table;
  private final Runnable afterWrite;

  /** @param afterWrite runs after each write that succeeded (tests fail or stop the process there) */
  public DynamoStatsStore(DynamoDbClient dynamo, String table, Runnable afterWrite) {
    this.dynamo = dynamo;
    this.table = table;
    this.afterWrite = afterWrite;
  }

  public DynamoStatsStore(DynamoDbClient dynamo, String table) {
    this(dynamo, table, () -> { });
  }

  @Override
  public void add(String lane, StatsKey key, List<RecordDelta> records) {
    String seqAttr = SEQ_PREFIX + lane;
    try {
      update(key, seqAttr, records, "attribute_not_exists(#seq) OR #seq < :first",
          Map.of(":first", s(padded(records.get(0).seq()))));
    } catch (ConditionalCheckFailedException seen) {
      BigInteger stored = new BigInteger(seen.item().get(seqAttr).s());
      List<RecordDelta> newer = records.stream().filter(r -> r.seq().compareTo(stored) > 0).toList();
      if (!newer.isEmpty()) {
        update(key, seqAttr, newer, "#seq = :stored", Map.of(":stored", s(padded(stored))));
      }
    }
  }

  private void update(StatsKey key, String seqAttr, List<RecordDelta> records, String condition,
      Map<String, AttributeValue> conditionValues) {
    Counters sum = new Counters();
    records.forEach(r -> sum.addAll(r.counters()));
    Map<String, String> names = new HashMap<>(Map.of("#seq", seqAttr, "#campaign", CAMPAIGN_ID, "#start", START));
    Map<String, AttributeValue> values = new HashMap<>(conditionValues);
    values.put(":last", s(padded(records.get(records.size() - 1).seq())));
    values.put(":campaign", s(key.campaignId()));
    values.put(":start", Attr.n(key.start().getEpochSecond()));
    StringBuilder set = new StringBuilder("SET #seq = :last, #campaign = :campaign, #start = :start");
    if (key.affiliateId() != null) {
      names.put("#affiliate", AFFILIATE_ID);
      values.put(":affiliate", s(key.affiliateId()));
      set.append(", #affiliate = :affiliate");
    }
    if (key.sub1() != null) {
      names.put("#sub", SUB1);
      values.put(":sub", s(key.sub1()));
      set.append(", #sub = :sub");
    }
    List<String> adds = new ArrayList<>(List.of("#writes :one"));
    names.put("#writes", WRITES);
    values.put(":one", Attr.n(1));
    int i = 0;
    for (var counter : sum.asMap().entrySet()) {
      names.put("#c" + i, counter.getKey());
      values.put(":c" + i, Attr.n(counter.getValue()));
      adds.add("#c" + i + " :c" + i);
      i++;
    }
    String expression = set + " ADD " + String.join(", ", adds);
    dynamo.updateItem(b -> b.tableName(table).key(key(key)).updateExpression(expression)
        .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    afterWrite.run();
  }

  @Override
  public List<StatsRow> read(StatsKey.Grain grain, String campaignId, String affiliateId, Instant from, Instant to) {
    List<StatsRow> out = new ArrayList<>();
    for (LocalDate day : days(from, to)) {
      String pk = (grain == StatsKey.Grain.SUB_DAY ? "s#" : "h#") + campaignId + "#" + day;
      query(pk, affiliateId == null ? null : affiliateId + "#").forEach(item -> {
        StatsRow row = row(grain, item);
        boolean inRange = !row.key().start().isBefore(from) && row.key().start().isBefore(to);
        if (inRange && (affiliateId == null || affiliateId.equals(row.key().affiliateId()))) {
          out.add(row);
        }
      });
    }
    return out;
  }

  @Override
  public List<String> campaigns(Instant from, Instant to) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (LocalDate day : days(from, to)) {
      query("d#" + day, null).forEach(item -> out.add(Attr.str(item, CAMPAIGN_ID)));
    }
    return List.copyOf(out);
  }

  private Iterable<Map<String, AttributeValue>> query(String pk, String skPrefix) {
    Map<String, String> names = new HashMap<>(Map.of("#pk", TrackingItems.PK));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(pk)));
    String condition = "#pk = :pk";
    if (skPrefix != null) {
      names.put("#sk", TrackingItems.SK);
      values.put(":prefix", s(skPrefix));
      condition += " AND begins_with(#sk, :prefix)";
    }
    String keyCondition = condition;
    return dynamo.queryPaginator(b -> b.tableName(table).keyConditionExpression(keyCondition)
        .expressionAttributeNames(names).expressionAttributeValues(values)).items();
  }

  /** The UTC days whose partitions hold buckets starting in {@code [from, to)}. */
  static List<LocalDate> days(Instant from, Instant to) {
    List<LocalDate> days = new ArrayList<>();
    LocalDate last = LocalDate.ofInstant(to.minusSeconds(1), ZoneOffset.UTC);
    for (LocalDate d = LocalDate.ofInstant(from, ZoneOffset.UTC); !d.isAfter(last); d = d.plusDays(1)) {
      days.add(d);
    }
    return days;
  }

  private static StatsRow row(StatsKey.Grain grain, Map<String, AttributeValue> item) {
    Counters counters = new Counters();
    item.forEach((name, value) -> {
      if (Counters.isCounter(name) && value.n() != null) {
        counters.add(name, new BigDecimal(value.n()));
      }
    });
    StatsKey key = new StatsKey(grain, Attr.str(item, CAMPAIGN_ID), Attr.str(item, AFFILIATE_ID),
        Attr.str(item, SUB1), Instant.ofEpochSecond(Attr.num(item, START)));
    return new StatsRow(key, counters);
  }

  static Map<String, AttributeValue> key(StatsKey key) {
    LocalDate day = key.utcDay();
    String pk;
    String sk;
    switch (key.grain()) {
      case HALF_HOUR -> {
        pk = "h#" + key.campaignId() + "#" + day;
        sk = key.affiliateId() + "#" + LocalTime.ofInstant(key.start(), ZoneOffset.UTC);
      }
      case SUB_DAY -> {
        pk = "s#" + key.campaignId() + "#" + day;
        sk = key.affiliateId() + (key.otherSubs() ? "#o" : "#v#" + key.sub1());
      }
      case CAMPAIGN_DAY -> {
        pk = "d#" + day;
        sk = key.campaignId();
      }
      default -> throw new IllegalArgumentException("unknown grain " + key.grain());
    }
    return Map.of(TrackingItems.PK, s(pk), TrackingItems.SK, s(sk));
  }

  static String padded(BigInteger seq) {
    String digits = seq.toString();
    if (seq.signum() < 0 || digits.length() > SEQ_DIGITS) {
      throw new IllegalArgumentException("sequence number out of range: " + digits);
    }
    return "0".repeat(SEQ_DIGITS - digits.length()) + digits;
  }
}
