package dev.postbackrelay.testing;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.ConversionQuery;
import dev.postbackrelay.attribution.ConversionStore;
import dev.postbackrelay.attribution.DeliveryAttempt;
import dev.postbackrelay.attribution.StatusChange;
import dev.postbackrelay.common.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Conversions in a map, with the conditional semantics of {@link ConversionStore}: every write
 * is one atomic map operation, so concurrent callers behave as they would against conditional
 * writes in DynamoDB.
 */
public final class InMemoryConversionStore implements ConversionStore {

  private record Id(String clickId, String key) {}

  private final Map<Id, Conversion> conversions = new ConcurrentHashMap<>();
  private final Map<String, java.time.Instant> claims = new ConcurrentHashMap<>();

  @Override
  public boolean claim(String clickId, String key, String target, dev.postbackrelay.common.ConversionStatus status,
      java.time.Instant until, java.time.Instant now) {
    return claimAt(clickId, key, target, status, until, now) != Claim.HELD;
  }

  /** As the DynamoDB store: a recorded attempt releases its claim, so a claim still there was never recorded. */
  @Override
  public Claim claimAt(String clickId, String key, String target, dev.postbackrelay.common.ConversionStatus status,
      java.time.Instant until, java.time.Instant now) {
    if (!conversions.containsKey(new Id(clickId, key))) {
      return Claim.HELD;
    }
    java.util.concurrent.atomic.AtomicReference<Claim> won = new java.util.concurrent.atomic.AtomicReference<>(Claim.HELD);
    claims.compute(clickId + "|" + key + "|" + target + "|" + status, (k, held) -> {
      if (held == null || held.isBefore(now)) {
        won.set(held == null ? Claim.TAKEN : Claim.RETAKEN);
        return until;
      }
      return held;
    });
    return won.get();
  }

  @Override
  public Optional<Conversion> createIfAbsent(String key, Conversion conversion) {
    return Optional.ofNullable(conversions.putIfAbsent(new Id(conversion.clickId(), key), conversion));
  }

  @Override
  public boolean transition(String clickId, String key, StatusChange change) {
    AtomicBoolean moved = new AtomicBoolean();
    conversions.computeIfPresent(new Id(clickId, key), (id, c) -> {
      if (c.status() != change.from()) {
        return c;
      }
      List<StatusChange> history = new ArrayList<>(c.history());
      history.add(change);
      moved.set(true);
      return c.withStatus(change.to()).withHistory(history, c.deliveries());
    });
    return moved.get();
  }

  /** Appends the attempt; throws {@link IllegalStateException} when no such conversion exists. */
  @Override
  public void recordDelivery(String clickId, String key, DeliveryAttempt attempt) {
    claims.remove(clickId + "|" + key + "|" + attempt.target() + "|" + attempt.status());
    AtomicReference<Conversion> updated = new AtomicReference<>();
    conversions.computeIfPresent(new Id(clickId, key), (id, c) -> {
      List<DeliveryAttempt> deliveries = new ArrayList<>(c.deliveries());
      deliveries.add(attempt);
      Conversion next = c.withHistory(c.history(), deliveries);
      updated.set(next);
      return next;
    });
    if (updated.get() == null) {
      throw new IllegalStateException("no conversion " + clickId + "/" + key);
    }
    claims.remove(clickId + "|" + key + "|" + attempt.target() + "|" + attempt.status());
  }

  @Override
  public Optional<Conversion> find(String clickId, String key) {
    return Optional.ofNullable(conversions.get(new Id(clickId, key)));
  }

  /** Every conversion of the click, ordered by key (as a sort key would order them). */
  @Override
  public List<Conversion> findByClick(String clickId) {
    return conversions.entrySet().stream()
        .filter(e -> e.getKey().clickId().equals(clickId))
        .sorted(Comparator.comparing(e -> e.getKey().key()))
        .map(Map.Entry::getValue)
        .toList();
  }

  /** Every stored conversion (a snapshot). */
  @Override
  public Page<Conversion> list(ConversionQuery query) {
    Instant now = Instant.now();
    return InMemoryPages.newestFirst(conversions.values().stream().filter(c -> query.matches(c, now)),
        Conversion::postbackId, query.limit(), query.cursor());
  }

  public List<Conversion> all() {
    return List.copyOf(conversions.values());
  }
}
