package dev.postbackrelay.postback;

import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps the status words networks send to our four statuses. Precedence: in-URL overrides
 * ({@code sale_status=}, {@code lead_status=}, {@code rejected_status=}, {@code rebill_status=},
 * {@code chargeback_status=}, as Keitaro and Scaleo accept), then the campaign's own map, then the
 * default table.
 */
public final class StatusWords {

  private static final Map<String, ConversionStatus> DEFAULTS = new HashMap<>();
  private static final Map<Param, ConversionStatus> OVERRIDE_PARAMS = Map.of(
      Param.LEAD_STATUS, ConversionStatus.PENDING,
      Param.SALE_STATUS, ConversionStatus.APPROVED,
      Param.REBILL_STATUS, ConversionStatus.APPROVED,
      Param.REJECTED_STATUS, ConversionStatus.REJECTED,
      Param.CHARGEBACK_STATUS, ConversionStatus.CHARGEBACK);

  static {
    words(ConversionStatus.PENDING, "pending", "pend", "lead", "hold", "on_hold", "onhold", "new", "open",
        "processing", "waiting", "trial", "0");
    words(ConversionStatus.APPROVED, "approved", "approve", "sale", "confirm", "confirmed", "paid", "accept",
        "accepted", "success", "complete", "completed", "valid", "rebill", "upsell", "1");
    words(ConversionStatus.REJECTED, "rejected", "reject", "declined", "decline", "denied", "deny", "trash",
        "fraud", "invalid", "cancel", "canceled", "cancelled", "expired", "2");
    words(ConversionStatus.CHARGEBACK, "chargeback", "charged_back", "refund", "refunded", "reversal", "reversed");
  }

  private StatusWords() {}

  private static void words(ConversionStatus status, String... words) {
    for (String w : words) {
      DEFAULTS.put(w, status);
    }
  }

  /** Our status for {@code word}, or empty when nothing maps it. */
  public static Optional<ConversionStatus> map(String word, Map<String, ConversionStatus> campaignMap, Params params) {
    String w = word.trim().toLowerCase(Locale.ROOT);
    for (Map.Entry<Param, ConversionStatus> o : OVERRIDE_PARAMS.entrySet()) {
      Optional<String> declared = params.first(o.getKey());
      if (declared.isPresent() && declared.get().toLowerCase(Locale.ROOT).equals(w)) {
        return Optional.of(o.getValue());
      }
    }
    ConversionStatus own = campaignMap.get(w);
    if (own != null) {
      return Optional.of(own);
    }
    return Optional.ofNullable(DEFAULTS.get(w));
  }
}
