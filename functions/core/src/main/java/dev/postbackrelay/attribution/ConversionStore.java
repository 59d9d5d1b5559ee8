package dev.postbackrelay.attribution;

import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.postback.GoneClickCampaigns;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where conversions live, keyed by click id and {@link Conversion#key}.
 *
 * <p>Contract: {@link #createIfAbsent} and {@link #transition} are conditional writes, atomic per
 * conversion, so concurrent or repeated postbacks cannot count a conversion twice or apply a
 * status change twice; no method reads before it writes.
 */
public interface ConversionStore extends GoneClickCampaigns {

  @Override
  default Optional<String> campaignOfGoneClick(String clickId) {
    return findByClick(clickId).stream().map(Conversion::campaignId).findFirst();
  }

  /**
   * Stores {@code conversion} under {@code key} unless one exists.
   *
   * @return empty when stored; the existing conversion otherwise
   */
  Optional<Conversion> createIfAbsent(String key, Conversion conversion);

  /**
   * Moves the conversion from {@code change.from()} to {@code change.to()} and appends the change
   * to its history, only if its status is still {@code change.from()}.
   *
   * @return false when the status was no longer {@code change.from()}
   */
  boolean transition(String clickId, String key, StatusChange change);

  /**
   * Claims the right to call {@code target} about {@code status} until {@code until}, so that two
   * runs of the same delivery (a re-sent or re-delivered message) never call out at once.
   *
   * @return false when another claim on the same (target, status) is still live at {@code now},
   *     or the conversion does not exist
   */
  boolean claim(String clickId, String key, String target, ConversionStatus status, Instant until,
      Instant now);

  /** What {@link #claimAt} came to. */
  enum Claim {
    /** Another run's claim is still live, or the conversion does not exist: call no one. */
    HELD,
    /** Claimed; no earlier claim was left. */
    TAKEN,
    /**
     * Claimed over an earlier claim that expired with no attempt recorded after it: the run that took
     * it ended (killed, timed out) after it may have called the target, so this call may repeat it.
     */
    RETAKEN
  }

  /**
   * {@link #claim}, telling also whether it took over a claim left by a run that never recorded its
   * attempt ({@link Claim#RETAKEN}). A store that cannot tell says {@link Claim#TAKEN}.
   */
  default Claim claimAt(String clickId, String key, String target, ConversionStatus status, Instant until,
      Instant now) {
    return claim(clickId, key, target, status, until, now) ? Claim.TAKEN : Claim.HELD;
  }

  /** Appends a delivery attempt to the conversion's log and releases its (target, status) claim. */
  void recordDelivery(String clickId, String key, DeliveryAttempt attempt);

  Optional<Conversion> find(String clickId, String key);

  /** Every conversion of a click. */
  List<Conversion> findByClick(String clickId);

  /** A campaign's conversions, newest first by when they were counted; following {@code next} lists each once. */
  Page<Conversion> list(ConversionQuery query);
}
