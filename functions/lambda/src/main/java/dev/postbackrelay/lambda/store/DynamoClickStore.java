package dev.postbackrelay.lambda.store;

import static dev.postbackrelay.lambda.store.Attr.millis;
import static dev.postbackrelay.lambda.store.Attr.n;
import static dev.postbackrelay.lambda.store.Attr.putIfPresent;
import static dev.postbackrelay.lambda.store.Attr.s;
import static dev.postbackrelay.lambda.store.Attr.str;
import static dev.postbackrelay.lambda.store.Attr.stringMap;
import static dev.postbackrelay.lambda.store.TrackingItems.*;

import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickQuery;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Clicks in the tracking table. Reads are strongly consistent; batch reads use BatchGetItem. */
public final class DynamoClickStore implements ClickStore {

  private static final int BATCH_GET_LIMIT = 100;

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoClickStore(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  @Override
  public void put(Click click) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s(clickPk(click.clickId())));
    item.put(SK, s(CLICK_SK));
    item.put(CLICK_ID, s(click.clickId()));
    item.put(CAMPAIGN_ID, s(click.campaignId()));
    item.put(AFFILIATE_ID, s(click.affiliateId()));
    item.put(CREATED_AT, n(click.createdAt().toEpochMilli()));
    item.put(SUBS, Attr.stringMap(click.subs()));
    item.put(PLATFORM_IDS, Attr.stringMap(click.platformIds()));
    item.put(EXTRA, Attr.stringMap(click.extra()));
    putIfPresent(item, IP, click.ip());
    putIfPresent(item, USER_AGENT, click.userAgent());
    putIfPresent(item, REFERER, click.referer());
    putIfPresent(item, COUNTRY, click.country());
    item.put(EXPIRES_AT, n(click.expiresAt().getEpochSecond()));
    item.put(CampaignIndex.GPK, s(CampaignIndex.clickPartition(click.campaignId(), click.createdAt(), click.clickId())));
    item.put(CampaignIndex.GSK, s(click.clickId()));
    dynamo.putItem(b -> b.tableName(table).item(item));
  }

  /** From the {@code by-campaign} index, which projects what an operator reads (not the address, agent, referer). */
  @Override
  public Page<Click> list(ClickQuery query) {
    Instant now = Instant.now();
    Instant start = query.range().start(now);
    Instant end = query.range().end(now);
    return CampaignIndex.list(dynamo, table, day -> CampaignIndex.clickPartitions(query.campaignId(), day), start, end,
        ClickIds.lowest(start), ClickIds.highest(end), DynamoClickStore::fromItem, c -> query.matches(c, now),
        query.limit(), query.cursor());
  }

  @Override
  public Optional<Click> find(String clickId) {
    var response = dynamo.getItem(b -> b.tableName(table).key(key(clickId)).consistentRead(true));
    return response.hasItem() && !response.item().isEmpty() ? Optional.of(fromItem(response.item())) : Optional.empty();
  }

  @Override
  public Map<String, Click> findAll(Collection<String> clickIds) {
    Map<String, Click> found = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(clickIds)); // BatchGetItem refuses repeats
    for (int from = 0; from < ids.size(); from += BATCH_GET_LIMIT) {
      List<Map<String, AttributeValue>> keys = ids.subList(from, Math.min(ids.size(), from + BATCH_GET_LIMIT))
          .stream().map(DynamoClickStore::key).toList();
      Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
      for (int attempt = 0; !request.isEmpty(); attempt++) {
        Map<String, KeysAndAttributes> current = request;
        BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(current));
        response.responses().getOrDefault(table, List.of()).forEach(item -> {
          Click click = fromItem(item);
          found.put(click.clickId(), click);
        });
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        if (!request.isEmpty()) {
          Backoff.sleep(attempt);
        }
      }
    }
    return found;
  }

  private static Map<String, AttributeValue> key(String clickId) {
    return Map.of(PK, s(clickPk(clickId)), SK, s(CLICK_SK));
  }

  static Click fromItem(Map<String, AttributeValue> item) {
    return Click.builder()
        .clickId(str(item, CLICK_ID))
        .campaignId(str(item, CAMPAIGN_ID))
        .affiliateId(str(item, AFFILIATE_ID))
        .createdAt(millis(item, CREATED_AT))
        .subs(stringMap(item, SUBS))
        .platformIds(stringMap(item, PLATFORM_IDS))
        .extra(stringMap(item, EXTRA))
        .ip(str(item, IP))
        .userAgent(str(item, USER_AGENT))
        .referer(str(item, REFERER))
        .country(str(item, COUNTRY))
        .expiresAt(Instant.ofEpochSecond(Attr.num(item, EXPIRES_AT)))
        .build();
  }
}
