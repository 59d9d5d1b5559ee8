package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.n;
import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.Attr.str;
import static dev.postbackrelay.lambda.store.TrackingItems.*;

import dev.postbackrelay.common.Page;
import dev.postbackrelay.logs.CapScope;
import dev.postbackrelay.logs.LogIds;
import dev.postbackrelay.logs.ReceivedEntry;
import dev.postbackrelay.logs.ReceivedLog;
import dev.postbackrelay.logs.ReceivedQuery;
import dev.postbackrelay.logs.RefusalStore;
import dev.postbackrelay.logs.RefusedPostback;
import dev.postbackrelay.postback.PostbackIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The received-postbacks log in the tracking table. Each entry is kept under its campaign's day
 * and its source address's day ({@link TrackingItems#logPk}, {@link TrackingItems#logIpPk}), sorted
 * by its time-sortable id, so every list is a {@code Query} of one partition per day, newest
 * first, and nothing reads the table through. Accepted postbacks get their copies from
 * {@link DynamoPostbackLog} in the same batch as their record; refusals and their per-minute
 * counters are written here.
 *
 * <p>A refusal is one {@code TransactWriteItems}: both scopes' minute counters, each added to only
 * while under the cap, and the entry's two copies. A counter is an item of its list partition,
 * sorted as the minute's last entry, so the same {@code Query} that lists the minute shows its
 * suppressed counts.
 */
public final class DynamoReceivedLog implements ReceivedLog, RefusalStore {

  private static final int CONFLICT_RETRIES = 3;

  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration retention;
  private final Clock clock;

  public DynamoReceivedLog(DynamoDbClient dynamo, String table, Duration refusedRetention, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.retention = refusedRetention;
    this.clock = clock;
  }

  @Override
  public Set<CapScope> recordUnderCap(RefusedPostback refusal, List<CapScope> scopes, Instant minute, int cap) {
    long expires = refusal.receivedAt().plus(retention).getEpochSecond();
    List<TransactWriteItem> writes = new ArrayList<>();
    for (CapScope scope : scopes) {
      writes.add(TransactWriteItem.builder().update(u -> u.tableName(table)
          .key(Map.of(PK, s(scopePk(scope, minute)), SK, s(LogIds.suppressed(minute))))
          .updateExpression("SET #kind = :counter, #minute = :minute, #exp = :exp ADD #n :one")
          .conditionExpression("attribute_not_exists(#n) OR #n < :cap")
          .expressionAttributeNames(Map.of("#kind", KIND, "#minute", MINUTE, "#exp", EXPIRES_AT, "#n", RECORDED))
          .expressionAttributeValues(Map.of(":counter", s(KIND_COUNTER), ":minute", n(minute.getEpochSecond()),
              ":exp", n(expires), ":one", n(1), ":cap", n(cap)))).build());
    }
    String record = RefusedPostbackJson.write(refusal);
    for (CapScope scope : scopes) {
      Map<String, AttributeValue> item = new HashMap<>();
      item.put(PK, s(scopePk(scope, refusal.receivedAt())));
      item.put(SK, s(refusal.id()));
      item.put(KIND, s(KIND_REFUSED));
      item.put(REFUSAL, s(record));
      item.put(EXPIRES_AT, n(expires));
      writes.add(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build());
    }
    for (int attempt = 0; ; attempt++) {
      try {
        dynamo.transactWriteItems(b -> b.transactItems(writes));
        return Set.of();
      } catch (TransactionCanceledException e) {
        Set<CapScope> full = new LinkedHashSet<>();
        boolean conflict = false;
        List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
        for (int i = 0; i < reasons.size() && i < scopes.size(); i++) {
          if ("ConditionalCheckFailed".equals(reasons.get(i).code())) {
            full.add(scopes.get(i));
          }
        }
        for (CancellationReason r : reasons) {
          conflict |= "TransactionConflict".equals(r.code());
        }
        if (!full.isEmpty()) {
          return full;
        }
        if (!conflict || attempt == CONFLICT_RETRIES) {
          // still contended after retries: counted as suppressed in every scope rather than failing the reply
          return new LinkedHashSet<>(scopes);
        }
        Backoff.sleep(attempt);
      }
    }
  }

  @Override
  public void addSuppressed(CapScope scope, Instant minute, Map<String, Long> byReason) {
    Map<String, String> names = new HashMap<>(Map.of("#kind", KIND, "#minute", MINUTE, "#exp", EXPIRES_AT));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(":counter", s(KIND_COUNTER),
        ":minute", n(minute.getEpochSecond()), ":exp", n(minute.plus(retention).getEpochSecond())));
    StringBuilder add = new StringBuilder();
    int i = 0;
    for (Map.Entry<String, Long> e : new TreeMap<>(byReason).entrySet()) {
      names.put("#r" + i, SUPPRESSED_PREFIX + e.getKey());
      values.put(":r" + i, n(e.getValue()));
      add.append(i == 0 ? " ADD " : ", ").append("#r").append(i).append(" :r").append(i);
      i++;
    }
    dynamo.updateItem(b -> b.tableName(table)
        .key(Map.of(PK, s(scopePk(scope, minute)), SK, s(LogIds.suppressed(minute))))
        .updateExpression("SET #kind = :counter, #minute = :minute, #exp = if_not_exists(#exp, :exp)" + add)
        .expressionAttributeNames(names).expressionAttributeValues(values));
  }

  @Override
  public Page<ReceivedEntry> list(ReceivedQuery query) {
    Instant now = clock.instant();
    if (query.campaignId() == null && query.sourceIp() == null) {
      return listClick(query, now);
    }
    String prefix = query.campaignId() != null ? logPk(query.campaignId(), null) : logIpPk(query.sourceIp(), null);
    Instant start = query.start(now);
    Instant end = query.end(now);
    // a minute's counter sorts as that minute's last id: up to a minute past the end
    return CampaignIndex.list(dynamo, table, null, PK, SK, day -> List.of(prefix + day), start, end,
        PostbackIds.lowest(start), PostbackIds.highest(end.plusSeconds(60)), item -> entry(item, query),
        entry -> entry != null && query.matches(entry, now), query.limit(), query.cursor());
  }

  /** A click's accepted postbacks, from the copies kept under the click. */
  private Page<ReceivedEntry> listClick(ReceivedQuery query, Instant now) {
    Cursor cursor = Cursor.parse(query.cursor());
    List<ReceivedEntry> out = new ArrayList<>();
    Map<String, AttributeValue> from = cursor == null ? null
        : Map.of(PK, s(clickPk(query.clickId())), SK, s(POSTBACK_COPY_PREFIX + cursor.sk()));
    do {
      Map<String, AttributeValue> startKey = from;
      QueryResponse page = dynamo.query(b -> b.tableName(table)
          .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
          .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
          .expressionAttributeValues(Map.of(":pk", s(clickPk(query.clickId())), ":prefix", s(POSTBACK_COPY_PREFIX)))
          .scanIndexForward(false).limit(query.limit()).exclusiveStartKey(startKey));
      for (Map<String, AttributeValue> item : page.items()) {
        ReceivedEntry entry = new ReceivedEntry.Accepted(DynamoPostbackLog.fromItem(item));
        if (query.matches(entry, now)) {
          out.add(entry);
          if (out.size() == query.limit()) {
            return new Page<>(out, new Cursor(LocalDate.EPOCH, entry.id()).encode());
          }
        }
      }
      from = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (from != null);
    return new Page<>(out, null);
  }

  private static ReceivedEntry entry(Map<String, AttributeValue> item, ReceivedQuery query) {
    String kind = str(item, KIND);
    if (KIND_ACCEPTED.equals(kind)) {
      return new ReceivedEntry.Accepted(DynamoPostbackLog.fromItem(item));
    }
    if (KIND_REFUSED.equals(kind)) {
      return new ReceivedEntry.Refused(RefusedPostbackJson.read(str(item, REFUSAL)));
    }
    if (KIND_COUNTER.equals(kind)) {
      Map<String, Long> byReason = new TreeMap<>();
      item.forEach((name, value) -> {
        if (name.startsWith(SUPPRESSED_PREFIX) && value.n() != null) {
          byReason.put(name.substring(SUPPRESSED_PREFIX.length()), Long.parseLong(value.n()));
        }
      });
      if (byReason.isEmpty()) {
        return null; // a minute that stayed under the cap
      }
      CapScope scope = query.campaignId() != null ? CapScope.campaign(query.campaignId()) : CapScope.sourceIp(query.sourceIp());
      return new ReceivedEntry.Suppressed(str(item, SK), scope, Instant.ofEpochSecond(Attr.num(item, MINUTE)), byReason);
    }
    return null;
  }

  private static String scopePk(CapScope scope, Instant at) {
    return scope.kind() == CapScope.Kind.CAMPAIGN ? logPk(scope.value(), at) : logIpPk(scope.value(), at);
  }

  /** Where a list call stopped: the day partition, and the last sort key it returned there (null: start at the top). */
  private record Cursor(LocalDate day, String sk) {

    String encode() {
      return PageCursors.encode(day + "|" + (sk == null ? "" : sk));
    }

    static Cursor parse(String cursor) {
      return PageCursors.decode(cursor, raw -> {
        int bar = raw.indexOf('|');
        String sk = raw.substring(bar + 1);
        if (!sk.isEmpty() && !sk.matches("[0-9a-z]{26}")) {
          throw new IllegalArgumentException("bad sort key");
        }
        return new Cursor(LocalDate.parse(raw.substring(0, bar)), sk.isEmpty() ? null : sk);
      });
    }
  }
}
