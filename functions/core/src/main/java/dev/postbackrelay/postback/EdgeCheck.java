package dev.postbackrelay.postback;

import java.util.Locale;

/**
 * The checks {@link PostbackService} makes on a postback before it queues it, in the order it
 * makes them. Every accepted postback passed each (or it did not apply); a refused one failed the
 * first check it did not pass, and the later ones were not reached.
 */
public enum EdgeCheck {
  /** No parameter holds a macro the sender forgot to replace ({@code {clickid}}, {@code ${payout}}...). */
  MACROS,
  /** The campaign named by {@code campaign_id} exists and is not archived. */
  CAMPAIGN,
  /** A click id (or a customer id with a campaign) is present, and the click id is one this relay signed. */
  CLICK_ID,
  /** Without {@code campaign_id}: the click (or its remembered conversions) names the campaign. */
  CLICK,
  /** The source IP is inside the campaign's allowlist. */
  IP_ALLOWLIST,
  /** The campaign's postback token, compared in constant time. */
  TOKEN,
  /** The campaign's HMAC signature and its time window. */
  SIGNATURE,
  /** Event, transaction id, amounts, currency and status parse. */
  FIELDS,
  /** A signed postback's signature was not used before. */
  REPLAY;

  /** The lower-case name the admin API shows. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Watches the checks as they run: each reports once, in order, passed or not applicable; a
   * failed check reports nothing and throws. The edge runs with {@link #NONE}; the dry run records.
   */
  public interface Trace {

    Trace NONE = (check, applied, detail) -> {};

    /**
     * @param applied false when the check did not apply to this postback or campaign (no token set...)
     * @param detail what was found, in words; never a secret
     */
    void passed(EdgeCheck check, boolean applied, String detail);
  }
}
