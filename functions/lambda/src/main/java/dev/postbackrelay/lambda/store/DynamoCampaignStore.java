package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.s;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignRules;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.lambda.admin.CampaignJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
    dynamo.putItem(b -> b.tableName(table).item(Map.of(
        CAMPAIGN_ID, s(campaign.id()),
        DOCUMENT, s(CampaignJson.write(campaign)),
        UPDATED_AT, Attr.n(clock.instant().toEpochMilli()))));
    cache.remove(campaign.id());
  }
}
