package dev.postbackrelay.lambda.store;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The tracking table's layout: every attribute name and key shape, in one place.
 *
 * <pre>
 * pk                         sk                       item
 * click#&lt;click_id&gt;          click                    the click
 * click#&lt;click_id&gt;          conv#&lt;event&gt;[#&lt;txid&gt;]   a conversion (status history, deliveries)
 * click#&lt;click_id&gt;          pb#&lt;postback_id&gt;         a postback that named the click (copy of the log entry)
 * postback#&lt;postback_id&gt;    postback                 the postback log entry
 * customer#&lt;campaign&gt;#&lt;id&gt;  binding                  lifetime attribution binding
 * replay#&lt;sha-256&gt;          replay                   a signed postback's accepted signature
 * log#&lt;campaign&gt;#&lt;day&gt;      &lt;postback or refusal id&gt; the received-postbacks log by campaign (copy)
 * log#&lt;campaign&gt;#&lt;day&gt;      &lt;minute's last id&gt;       that minute's refusal counter: recorded, suppressed_&lt;reason&gt;
 * logip#&lt;address&gt;#&lt;day&gt;     (the same two)           the log by source address
 * </pre>
 * Days are UTC dates ({@code 2025-01-31}); a refusal that named no campaign is under campaign {@code -}.
 * Every item carries {@code expires_at} (epoch seconds), the table's TTL attribute.
 */
final class TrackingItems {

  static final String PK = "pk";
  static final String SK = "sk";
  static final String EXPIRES_AT = "expires_at";
  static final String CLICK_SK = "click";
  static final String POSTBACK_SK = "postback";
  static final String BINDING_SK = "binding";
  static final String REPLAY_SK = "replay";
  static final String CONVERSION_PREFIX = "conv#";
  static final String POSTBACK_COPY_PREFIX = "pb#";

  static final String CLICK_ID = "click_id";
  static final String CAMPAIGN_ID = "campaign_id";
  static final String AFFILIATE_ID = "affiliate_id";
  static final String CREATED_AT = "created_at";
  static final String SUBS = "subs";
  static final String PLATFORM_IDS = "platform_ids";
  static final String EXTRA = "extra";
  static final String IP = "ip";
  static final String USER_AGENT = "user_agent";
  static final String REFERER = "referer";
  static final String COUNTRY = "country";

  static final String EVENT = "event";
  static final String TXID = "txid";
  static final String STATUS = "status";
  static final String AMOUNT = "amount";
  static final String CURRENCY = "currency";
  static final String PAYOUT = "payout";
  static final String PAYOUT_CURRENCY = "payout_currency";
  static final String PAYOUT_NOTE = "payout_note";
  static final String REVENUE = "revenue";
  static final String REVENUE_CURRENCY = "revenue_currency";
  static final String POSTBACK_ID = "postback_id";
  static final String HISTORY = "history";
  static final String DELIVERIES = "deliveries";
  static final String CLAIM_PREFIX = "claim:";

  static final String RECORD = "record";
  static final String DECISION = "decision";
  static final String REASON = "reason";
  static final String CONVERSION = "conversion";
  static final String DECIDED_AT = "decided_at";

  static final String KIND = "kind";
  static final String KIND_ACCEPTED = "accepted";
  static final String KIND_REFUSED = "refused";
  static final String KIND_COUNTER = "counter";
  static final String REFUSAL = "refusal";
  static final String MINUTE = "minute";
  static final String RECORDED = "recorded";
  static final String SUPPRESSED_PREFIX = "suppressed_";

  private TrackingItems() {}

  static String clickPk(String clickId) {
    return "click#" + clickId;
  }

  static String conversionSk(String key) {
    return CONVERSION_PREFIX + key;
  }

  static String postbackPk(String postbackId) {
    return "postback#" + postbackId;
  }

  static String replayPk(String key) {
    return "replay#" + key;
  }

  /** The log partition of {@code campaignId}'s day {@code at}; with {@code at} null, the prefix of all its days. */
  static String logPk(String campaignId, Instant at) {
    return "log#" + campaignId + "#" + (at == null ? "" : LocalDate.ofInstant(at, ZoneOffset.UTC));
  }

  /** The log partition of source address {@code ip}'s day {@code at}; with {@code at} null, the prefix. */
  static String logIpPk(String ip, Instant at) {
    return "logip#" + ip + "#" + (at == null ? "" : LocalDate.ofInstant(at, ZoneOffset.UTC));
  }

  static String customerPk(String campaignId, String customerId) {
    return "customer#" + campaignId + "#" + customerId;
  }
}
