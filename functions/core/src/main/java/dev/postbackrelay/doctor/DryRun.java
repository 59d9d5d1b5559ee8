package dev.postbackrelay.doctor;

import dev.postbackrelay.attribution.Conversion;
import dev.postbackrelay.attribution.Decision;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.forwarding.DeliveryPreview;
import dev.postbackrelay.postback.EdgeCheck;
import dev.postbackrelay.postback.Postback;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@link PostbackDoctor} found for one postback, as if it had been sent now: how its
 * parameters were read, every edge check and its result, and, for one the edge would accept, the
 * attribution decision with what it would book and every request it would send.
 *
 * @param fields each field the postback fills and the parameter it came from, in the vocabulary's order
 * @param extra the names kept as extra parameters (passed on to destinations as {@code {name}})
 * @param checks every {@link EdgeCheck}, in order, each with its result
 * @param refusal how the edge would refuse it; null when it would accept it
 * @param postback the postback as the edge would queue it; null when refused
 * @param attribution what attribution would decide; null when refused
 * @param deliveries what would be sent, one per destination that fires; empty when none
 */
public record DryRun(List<FieldRead> fields, List<String> extra, List<CheckResult> checks, Refusal refusal,
    Postback postback, Attribution attribution, List<DeliveryPreview> deliveries) {

  public DryRun {
    fields = List.copyOf(fields);
    extra = List.copyOf(extra);
    checks = List.copyOf(checks);
    deliveries = List.copyOf(deliveries);
  }

  /** Whether the edge would answer 200. */
  public boolean accepted() {
    return refusal == null;
  }

  /**
   * One field and where it was read from.
   *
   * @param field the canonical name ({@code click_id})
   * @param sentAs the name the postback used ({@code clickid}); equal to {@code field} unless an alias
   * @param value as sent, masked where it is a credential, cut to a bound
   */
  public record FieldRead(String field, String sentAs, String value) {

    public boolean alias() {
      return !field.equals(sentAs);
    }
  }

  /** One check's result. */
  public record CheckResult(EdgeCheck check, Result result, String detail) {}

  /** How a check ended: passed, did not apply, failed (the refusal's check), or never ran. */
  public enum Result { PASSED, NOT_APPLICABLE, FAILED, NOT_REACHED }

  /** The edge's 4xx: what the sender would be answered. */
  public record Refusal(Reason reason, int httpStatus, String message, String parameter) {}

  /**
   * What attribution would decide now.
   *
   * @param click the click it would attribute to; null when none was found
   * @param lifetimeCustomer the click was found through the customer's lifetime binding (no window applies)
   * @param existing the conversion already counted under the same key, before this postback; null when none
   * @param booked the conversion as this postback would leave it (created or moved); null when it changes nothing
   */
  public record Attribution(Decision decision, ClickFacts click, boolean lifetimeCustomer, Conversion existing,
      Conversion booked) {}

  /**
   * The click and its timing against the campaign's rules.
   *
   * @param remembered the click itself has expired from the store; its conversion remembers it
   * @param age from the click to now
   */
  public record ClickFacts(String clickId, String campaignId, String affiliateId, Instant createdAt, boolean remembered,
      Duration age, Duration window, Duration minAge) {}
}
