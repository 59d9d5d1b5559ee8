package dev.postbackrelay.testing;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.campaign.CampaignSummary;
import dev.postbackrelay.common.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Campaigns in a map: {@link #find} always sees the last {@link #put}; the cursor is the last campaign listed. */
public final class InMemoryCampaignStore implements CampaignStore {

  private record Stored(Campaign campaign, Instant createdAt, Instant updatedAt) {}

  private final Map<String, Stored> campaigns = new ConcurrentHashMap<>();
  private final Clock clock;

  public InMemoryCampaignStore(Campaign... initial) {
    this(Clock.systemUTC(), initial);
  }

  public InMemoryCampaignStore(Clock clock, Campaign... initial) {
    this.clock = clock;
    for (Campaign c : initial) {
      put(c);
    }
  }

  @Override
  public Optional<Campaign> find(String campaignId) {
    return campaignId == null ? Optional.empty() : Optional.ofNullable(campaigns.get(campaignId)).map(Stored::campaign);
  }

  @Override
  public synchronized void put(Campaign campaign) {
    Instant now = clock.instant();
    Stored before = campaigns.get(campaign.id());
    campaigns.put(campaign.id(), new Stored(campaign, before == null ? now : before.createdAt(), now));
  }

  @Override
  public synchronized Page<CampaignSummary> list(Campaign.Status status, int limit, String cursor) {
    Comparator<CampaignSummary> newestFirst = Comparator.comparing(CampaignSummary::updatedAt)
        .thenComparing(CampaignSummary::id).reversed();
    List<CampaignSummary> all = campaigns.values().stream()
        .filter(s -> status == null || s.campaign().status() == status)
        .map(s -> new CampaignSummary(s.campaign().id(), s.campaign().status(), s.campaign().affiliates().size(),
            s.campaign().destinations().size(), s.createdAt(), s.updatedAt()))
        .sorted(newestFirst).toList();
    int from = 0;
    if (cursor != null) {
      String[] at = cursor.split("\\|", 2);
      CampaignSummary after = new CampaignSummary(at[1], null, 0, 0, null, Instant.parse(at[0]));
      while (from < all.size() && newestFirst.compare(all.get(from), after) <= 0) {
        from++;
      }
    }
    List<CampaignSummary> page = all.subList(from, Math.min(all.size(), from + limit));
    CampaignSummary last = page.isEmpty() ? null : page.get(page.size() - 1);
    return new Page<>(page, from + limit < all.size() ? last.updatedAt() + "|" + last.id() : null);
  }
}
