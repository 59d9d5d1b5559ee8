package dev.postbackrelay.stats;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a stream batch to the stats items: one {@link StatsStore#add} per item the batch touches.
 * An item that fails leaves its records unapplied; the answer is the first record of the batch that
 * some item has not applied, from which the stream must deliver again (records after it that other
 * items did apply are skipped by those items then).
 */
public final class StatsService {

  private final StatsStore store;
  private final SubAdmission subs;

  public StatsService(StatsStore store, SubAdmission subs) {
    this.store = store;
    this.subs = subs;
  }

  /** Applies {@code batch} (records of one shard, {@code lane}, in order); empty when all of it is applied. */
  public Optional<BigInteger> apply(String lane, List<StreamChange> batch) {
    Map<StatsKey, List<RecordDelta>> deltas = StatsAggregator.deltas(batch, subs);
    BigInteger firstFailed = null;
    RuntimeException failure = null;
    for (var item : deltas.entrySet()) {
      try {
        store.add(lane, item.getKey(), item.getValue());
      } catch (RuntimeException e) {
        failure = e;
        BigInteger first = item.getValue().get(0).seq();
        firstFailed = firstFailed == null || first.compareTo(firstFailed) < 0 ? first : firstFailed;
      }
    }
    if (failure != null && firstFailed.equals(batch.get(0).seq())) {
      throw failure; // nothing can be checkpointed: the whole batch is retried (and bisected)
    }
    return Optional.ofNullable(firstFailed);
  }
}
