package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.Attr.str;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignRules;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.CampaignSummary;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.lambda.admin.CampaignJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Campaigns in the campaigns table, one item each, the definition kept as a JSON document.
 *
 * <p>Reads are served from a per-container cache for up to {@code cacheTtl} (campaigns are read
 * on every click and postback and change rarely), so a change takes effect within that time;
 * a {@link #put} through this instance refreshes its own cache at once.
 */
public final class DynamoCampaignStore implements CampaignStore {

  static final String CAMPAIGN_ID = "campaign_id";
  static final String DOCUMENT = "document";
  static final String UPDATED_AT = "updated_at";
  static final String CREATED_AT = "created_at";
  static final String STATUS = "status";
  static final String AFFILIATES = "affiliates";
  static final String DESTINATIONS = "destinations";
  /** The campaigns table's index for lists: partition {@code status}, sort {@code updated_at}. */
  static final String BY_STATUS = "by-status";

  private record Cached(Optional<Campaign> campaign, Instant until) {}

  private final DynamoDbClient dynamo;
  private final String table;
  private final Duration cacheTtl;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public DynamoCampaignStore(DynamoDbClient dynamo, String table, Duration cacheTtl, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.cacheTtl = cacheTtl;
    this.clock = clock;
  }

  @Override
  public Optional<Campaign> find(String campaignId) {
    if (!CampaignRules.isValidId(campaignId)) {
      return Optional.empty(); // no campaign can have it, and DynamoDB would refuse an oversized key
    }
    Instant now = clock.instant();
    Cached cached = cache.get(campaignId);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.campaign();
    }
    var response = dynamo.getItem(b -> b.tableName(table).key(Map.of(CAMPAIGN_ID, s(campaignId))));
    Optional<Campaign> campaign = response.hasItem() && !response.item().isEmpty()
        ? Optional.of(CampaignJson.parse(campaignId, response.item().get(DOCUMENT).s()))
        : Optional.empty();
    if (!cacheTtl.isZero() && campaign.isPresent()) {
      // only found campaigns are cached: a campaign created a moment ago must not stay unknown
      cache.put(campaignId, new Cached(campaign, now.plus(cacheTtl)));
    }
    return campaign;
  }

  @Override
  public void put(Campaign campaign) {
    AttributeValue now = Attr.n(clock.instant().toEpochMilli());
    dynamo.updateItem(b -> b.tableName(table).key(Map.of(CAMPAIGN_ID, s(campaign.id())))
        .updateExpression("SET #doc = :doc, #status = :status, #aff = :aff, #dest = :dest, #updated = :now,"
            + " #created = if_not_exists(#created, :now)")
        .expressionAttributeNames(Map.of("#doc", DOCUMENT, "#status", STATUS, "#aff", AFFILIATES,
            "#dest", DESTINATIONS, "#updated", UPDATED_AT, "#created", CREATED_AT))
        .expressionAttributeValues(Map.of(":doc", s(CampaignJson.write(campaign)), ":status", s(campaign.status().code()),
            ":aff", Attr.n(campaign.affiliates().size()), ":dest", Attr.n(campaign.destinations().size()), ":now", now)));
    cache.remove(campaign.id());
  }

  /**
   * Newest change first, from the {@link #BY_STATUS} index (status, updated_at): one status is one
   * partition; every status is the three merged. The cursor is the last change time listed and the
   * ids listed at that millisecond.
   */
  @Override
  public Page<CampaignSummary> list(Campaign.Status status, int limit, String cursor) {
    Cursor after = Cursor.parse(cursor);
    List<CampaignSummary> merged = new ArrayList<>();
    boolean more = false;
    for (Campaign.Status s : status == null ? List.of(Campaign.Status.values()) : List.of(status)) {
      more |= collect(s, after, limit + 1, merged);
    }
    merged.sort(NEWEST_FIRST);
    more |= merged.size() > limit;
    List<CampaignSummary> page = List.copyOf(merged.subList(0, Math.min(limit, merged.size())));
    return new Page<>(page, more && !page.isEmpty() ? Cursor.after(page, after).encode() : null);
  }

  /** Adds up to {@code want} of status {@code s}'s summaries after the cursor; true when the partition has more. */
  private boolean collect(Campaign.Status s, Cursor after, int want, List<CampaignSummary> into) {
    Map<String, AttributeValue> start = null;
    int found = 0;
    do {
      Map<String, AttributeValue> from = start;
      Map<String, AttributeValue> values = new HashMap<>(Map.of(":s", s(s.code())));
      Map<String, String> names = new HashMap<>(Map.of("#status", STATUS));
      String condition = "#status = :s";
      if (after != null) {
        condition += " AND #updated <= :u";
        values.put(":u", Attr.n(after.updatedAt()));
        names.put("#updated", UPDATED_AT);
      }
      String keyCondition = condition;
      var page = dynamo.query(b -> b.tableName(table).indexName(BY_STATUS).keyConditionExpression(keyCondition)
          .expressionAttributeNames(names)
          .expressionAttributeValues(values).scanIndexForward(false).limit(want).exclusiveStartKey(from));
      for (Map<String, AttributeValue> item : page.items()) {
        CampaignSummary summary = new CampaignSummary(str(item, CAMPAIGN_ID), s, (int) Attr.num(item, AFFILIATES),
            (int) Attr.num(item, DESTINATIONS), Attr.millis(item, CREATED_AT), Attr.millis(item, UPDATED_AT));
        if (after != null && after.listed(summary)) {
          continue;
        }
        if (found == want) {
          return true;
        }
        into.add(summary);
        found++;
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return false;
  }

  private static final Comparator<CampaignSummary> NEWEST_FIRST = Comparator.comparing(CampaignSummary::updatedAt)
      .thenComparing(CampaignSummary::id).reversed();

  /** Where a list stopped: the last change time it listed, and the ids it listed at that millisecond. */
  private record Cursor(long updatedAt, Set<String> ids) {

    boolean listed(CampaignSummary s) {
      long at = s.updatedAt().toEpochMilli();
      return at > updatedAt || (at == updatedAt && ids.contains(s.id()));
    }

    static Cursor after(List<CampaignSummary> page, Cursor before) {
      long last = page.get(page.size() - 1).updatedAt().toEpochMilli();
      Set<String> ids = new TreeSet<>();
      if (before != null && before.updatedAt() == last) {
        ids.addAll(before.ids());
      }
      page.stream().filter(s -> s.updatedAt().toEpochMilli() == last).forEach(s -> ids.add(s.id()));
      return new Cursor(last, ids);
    }

    String encode() {
      return PageCursors.encode(updatedAt + "|" + String.join(",", ids));
    }

    static Cursor parse(String cursor) {
      return PageCursors.decode(cursor, raw -> {
        int bar = raw.indexOf('|');
        Set<String> ids = new TreeSet<>(List.of(raw.substring(bar + 1).split(",")));
        if (!ids.stream().allMatch(CampaignRules::isValidId)) {
          throw new IllegalArgumentException("not campaign ids");
        }
        return new Cursor(Long.parseLong(raw.substring(0, bar)), ids);
      });
    }
  }
}
