package dev.postbackrelay.logs;

import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.attribution.PostbackRecord;
import dev.postbackrelay.common.Page;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.common.TimeRange;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * A question to the received-postbacks log. It names where to look (a campaign, a source
 * address, or a click: each has its own key, so no question reads the whole table) and then
 * narrows by time and by what the entries say.
 *
 * @param campaignId a campaign, or {@link CapScope#NO_CAMPAIGN} for refusals that named none
 * @param decision one of {@link #DECISIONS}
 * @param reason a reason code
 * @param cursor the {@code next} of the previous page, or null
 */
public record ReceivedQuery(String campaignId, String sourceIp, String clickId, Instant from, Instant to,
    String decision, String reason, String txid, int limit, String cursor) {

  /** Attribution's outcomes, then the edge's refusal and the count of refusals past the cap. */
  public static final Set<String> DECISIONS = Set.of("attributed", "status_updated", "duplicate", "rejected",
      "refused", "suppressed");
  public ReceivedQuery {
    if (campaignId == null && sourceIp == null && clickId == null) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "Name where to look: campaign_id (- for refusals that named no campaign), source_ip or click_id.");
    }
    Page.checkedLimit(limit);
    if (decision != null && !DECISIONS.contains(decision)) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "decision must be one of " + String.join(", ", DECISIONS.stream().sorted().toList()) + ".", "decision", null);
    }
    new TimeRange(from, to); // refuses a range that runs backwards or is too long
  }

  private TimeRange range() {
    return new TimeRange(from, to);
  }

  /** {@code to}, or now. */
  public Instant end(Instant now) {
    return range().end(now);
  }

  /** {@code from}, or {@link TimeRange#DEFAULT_RANGE} before the end. */
  public Instant start(Instant now) {
    return range().start(now);
  }

  /** Whether {@code entry}, found under this question's key, answers it: the one place the filters are defined. */
  public boolean matches(ReceivedEntry entry, Instant now) {
    Instant last = entry instanceof ReceivedEntry.Suppressed s ? s.minute().plusSeconds(59) : entry.at();
    if (last.isBefore(start(now)) || entry.at().isAfter(end(now))) {
      return false;
    }
    if (entry instanceof ReceivedEntry.Accepted a) {
      PostbackRecord r = a.record();
      Decision d = r.decision();
      return (campaignId == null || campaignId.equals(r.postback().campaignId()))
          && (sourceIp == null || sourceIp.equals(r.postback().sourceIp()))
          && (clickId == null || clickId.equals(r.postback().clickId()))
          && (decision == null || decision.equals(d.outcome().name().toLowerCase(Locale.ROOT)))
          && (reason == null || (d.reason() != null && reason.equals(d.reason().code())))
          && (txid == null || txid.equals(r.postback().txid()));
    }
    if (entry instanceof ReceivedEntry.Refused f) {
      RefusedPostback r = f.refusal();
      return (campaignId == null || campaignId.equals(CapScope.campaign(r.campaignId()).value()))
          && (sourceIp == null || sourceIp.equals(r.sourceIp()))
          && (clickId == null || clickId.equals(r.fields().get("click_id")))
          && (decision == null || decision.equals("refused"))
          && (reason == null || reason.equals(r.reason()))
          && (txid == null || txid.equals(r.fields().get("txid")));
    }
    ReceivedEntry.Suppressed s = (ReceivedEntry.Suppressed) entry;
    boolean scoped = s.scope().kind() == CapScope.Kind.CAMPAIGN
        ? campaignId != null && campaignId.equals(s.scope().value()) && sourceIp == null
        : sourceIp != null && sourceIp.equals(s.scope().value()) && campaignId == null;
    return scoped && clickId == null && txid == null
        && (decision == null || decision.equals("suppressed") || decision.equals("refused"))
        && (reason == null || s.byReason().containsKey(reason));
  }
}
