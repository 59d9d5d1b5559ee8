package dev.postbackrelay.common;

import java.util.Locale;

/**
 * Every machine-readable reason this product gives, with the HTTP status it maps to where it is
 * returned synchronously and the sentence shown to the caller.
 *
 * <p>Codes are part of the public contract: networks and advertisers match on them, and
 * {@code docs/openapi.yaml} documents each one. Never rename a code; add a new one instead.
 */
public enum Reason {
  // -- request shape (any route)
  /** A parameter has a value that is not acceptable; the message says which. */
  INVALID_PARAMETER(400, "A parameter has an invalid value."),
  /** The body is not form-encoded or JSON. */
  UNSUPPORTED_MEDIA_TYPE(415, "Send the body as application/x-www-form-urlencoded or application/json."),
  /** The body exceeds the size limit. */
  PAYLOAD_TOO_LARGE(413, "The request body is larger than 16 KiB."),
  /** The route exists but not with this HTTP method. */
  METHOD_NOT_ALLOWED(405, "This route does not accept this HTTP method."),
  /** No route matches. */
  NOT_FOUND(404, "Nothing is found at this path."),

  // -- click
  /** {@code campaign_id} is missing from a click. */
  MISSING_CAMPAIGN_ID(400, "The campaign_id parameter is required."),
  /** {@code affiliate_id} (or its alias {@code ref_id}) is missing from a click. */
  MISSING_AFFILIATE_ID(400, "The " + Param.AFFILIATE_ID.canonical() + " (or " + String.join(", ", Param.AFFILIATE_ID.aliases())
      + ") parameter is required."),
  /** The campaign does not exist. */
  UNKNOWN_CAMPAIGN(404, "No campaign exists with this campaign_id."),
  /** The campaign exists but is paused: it takes no clicks. */
  CAMPAIGN_PAUSED(404, "This campaign is paused and accepts no traffic."),
  /** The affiliate is not registered on the campaign. */
  UNKNOWN_AFFILIATE(404, "This affiliate is not registered on the campaign."),

  // -- postback, checked at the edge before anything is stored
  /** Neither a click id nor a bound customer id was sent. */
  MISSING_CLICK_ID(400, "The " + Param.CLICK_ID.canonical() + " parameter (or an alias: "
      + String.join(", ", Param.CLICK_ID.aliases()) + ") is required."),
  /** The click id fails its integrity check: forged, truncated, or not one of ours. */
  MALFORMED_CLICK_ID(400, "The click_id is not a click id this tracker issued (forged, truncated or mangled)."),
  /** A parameter still holds a placeholder the sender forgot to substitute. */
  UNSUBSTITUTED_MACRO(400, "A parameter holds an unsubstituted macro: the sender did not replace a placeholder with its value."),
  /** The campaign's token is missing or wrong. */
  BAD_TOKEN(403, "The token parameter is missing or does not match the campaign's postback token."),
  /** The caller's IP address is not on the campaign's allowlist. */
  IP_NOT_ALLOWED(403, "The request comes from an IP address that is not on the campaign's allowlist."),
  /** The HMAC signature is missing, wrong or outside the replay window. */
  BAD_SIGNATURE(403, "The signature is missing, does not match, or its timestamp is outside the allowed window."),
  /** A signed postback whose signature was already accepted: a captured request sent again. */
  REPLAYED_SIGNATURE(409, "This signed postback was already received: each signature is accepted once; sign a new request (new ts) to send another."),
  /** {@code amount}, {@code payout} or {@code conversion_rate} is not a non-negative decimal. */
  INVALID_AMOUNT(400, "amount, payout and conversion_rate must be non-negative decimal numbers."),
  /** The currency is not a three-letter ISO 4217 code. */
  INVALID_CURRENCY(400, "currency must be a three-letter ISO 4217 code such as USD."),
  /** The status word is not one we know and the campaign maps none for it. */
  UNKNOWN_STATUS(400, "The status is not recognised; use pending, approved, rejected or chargeback, or configure a mapping."),
  /** The conversion queue could not take the postback: nothing was accepted. */
  QUEUE_UNAVAILABLE(503, "The postback could not be queued; nothing was recorded. Retry later."),

  // -- postback, decided by attribution (recorded on the postback; visible through the admin API)
  /** No click exists with this id (or it was purged). */
  UNKNOWN_CLICK(422, "No click exists with this click_id."),
  /** The click is older than the campaign's attribution window. */
  CLICK_EXPIRED(422, "The click is older than the campaign's attribution window."),
  /** The conversion came sooner after the click than the campaign's minimum. */
  TOO_FAST(422, "The conversion arrived sooner after the click than the campaign allows."),
  /** The postback names a campaign other than the click's. */
  CAMPAIGN_MISMATCH(422, "The postback names a different campaign than the click's."),
  /** The same (click, event, txid) was already counted. */
  DUPLICATE(200, "This conversion (same click, event and txid) was already counted."),
  /** A status change that the allowed transitions forbid. */
  INVALID_STATUS_TRANSITION(422, "This status change is not allowed from the conversion's current status."),
  /** A new txid on a click and event already converted, on a campaign without repeat sales. */
  REPEAT_NOT_ALLOWED(422, "This click already converted for this event and the campaign does not allow repeat sales."),
  /** No customer binding exists for a lifetime postback. */
  UNKNOWN_CUSTOMER(422, "No affiliate is bound to this customer_id on this campaign."),

  // -- admin
  /** Missing or wrong admin credentials. */
  UNAUTHORIZED(401, "Admin routes need valid credentials."),
  /** The campaign body fails validation; the message says why. */
  INVALID_CAMPAIGN(400, "The campaign definition is invalid."),
  /** A target URL is refused by the outbound guard (scheme, or a private/loopback/metadata address). */
  FORBIDDEN_DESTINATION(400, "The URL's scheme or address is not allowed as an outbound destination."),

  // -- anything else
  /** DynamoDB (or another storage service) timed out, refused the connection or stayed throttled after retries. */
  STORE_UNAVAILABLE(503, "Storage did not answer in time; the request may not have been recorded. Retry later."),
  /** An unexpected failure; details are in the logs under the request id. */
  INTERNAL_ERROR(500, "Something went wrong on our side; the request id is in the logs.");

  private final int httpStatus;
  private final String sentence;

  Reason(int httpStatus, String sentence) {
    this.httpStatus = httpStatus;
    this.sentence = sentence;
  }

  /** The code as it appears on the wire, e.g. {@code missing_click_id}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** A default sentence for the caller; call sites may give a more specific one. */
  public String sentence() {
    return sentence;
  }
}
