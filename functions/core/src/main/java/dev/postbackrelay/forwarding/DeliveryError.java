package dev.postbackrelay.forwarding;

/**
 * Why a delivery was not delivered, and what that means for it ({@link Disposition}). The codes
 * are the wire values of the delivery log's {@code error} (stored on the conversion and shown by
 * the admin API), of a dead delivery's {@code dead_reason} and of the logs; docs/openapi.yaml
 * lists every one ({@code DeliveryErrorCode}, checked by a test). An occurrence carries its detail
 * in a {@link DeliveryFailure}.
 *
 * <p>Written forms: {@code <code>}, or {@code <code>: <detail>}, except {@link #HTTP_STATUS}
 * ({@code http_503}) and {@link #REDIRECT_NOT_FOLLOWED} ({@code redirect_not_followed (Location: <url>)});
 * a {@link Disposition#SKIP} is recorded on the delivery log behind {@value DeliveryFailure#SKIPPED}.
 */
public enum DeliveryError {

  // the transport (PostbackSender): the partner may answer next time
  /** A non-2xx answer; the detail is the status. */
  HTTP_STATUS("http", "_", "", Disposition.RETRY),
  /** A 3xx, not followed; the detail is its Location. */
  REDIRECT_NOT_FOLLOWED("redirect_not_followed", " (Location: ", ")", Disposition.RETRY),
  TIMEOUT("timeout", Disposition.RETRY),
  CONNECT_TIMEOUT("connect_timeout", Disposition.RETRY),
  CONNECT_REFUSED("connect_refused", Disposition.RETRY),
  /** The TLS handshake or session failed; the detail is the exception's class. */
  TLS("tls", Disposition.RETRY),
  /** Another I/O failure; the detail is the exception's class. */
  IO("io", Disposition.RETRY),
  NO_RESPONSE("no_response", Disposition.RETRY),
  BAD_RESPONSE("bad_response", Disposition.RETRY),
  HEAD_TOO_LARGE("head_too_large", Disposition.RETRY),
  /** The request could not be written safely, so nothing was sent; the detail names the part. */
  INVALID_REQUEST("invalid_request", Disposition.RETRY),

  // before the call: the target, its credentials
  /** The outbound guard refused the scheme, address or port: dead at once. */
  FORBIDDEN_DESTINATION("forbidden_destination", Disposition.DEAD),
  DNS_UNRESOLVED("dns_unresolved", Disposition.RETRY),
  /** A {@code secret:<name>} reference could not be read. */
  SECRET_UNAVAILABLE("secret_unavailable", Disposition.RETRY),
  /** The destination type's credentials hook failed (no OAuth access token). */
  TOKEN_UNAVAILABLE("token_unavailable", Disposition.RETRY),

  // a destination type's reading of a 2xx
  /** Google Ads answered 200 but refused the conversion (partial-failure mode). */
  GOOGLE_PARTIAL_FAILURE("google_partial_failure", Disposition.RETRY),

  // nothing to send (a destination type's DeliveryPlan.Skip): never retried
  INVALID_URL("invalid_url", Disposition.SKIP),
  UNSUPPORTED_METHOD("unsupported_method", Disposition.SKIP),
  MISSING_SETTING("missing_setting", Disposition.SKIP),
  INVALID_SETTING("invalid_setting", Disposition.SKIP),
  EVENT_TOO_OLD("event_too_old", Disposition.SKIP),
  NO_USER_DATA("no_user_data", Disposition.SKIP),
  NO_GOOGLE_CLICK_ID("no_google_click_id", Disposition.SKIP),

  // outcomes of a run that are never recorded as an attempt
  /** The destination is no longer in its campaign. */
  DESTINATION_REMOVED("destination_removed", Disposition.SKIP),
  /** The conversion the delivery is for does not exist. */
  CONVERSION_NOT_FOUND("conversion_not_found", Disposition.DEAD),
  /** The retry schedule is used up; the detail is the last attempt's error. */
  RETRIES_EXHAUSTED("retries_exhausted", Disposition.DEAD);

  /** What a delivery that ends in this error does next. */
  public enum Disposition {
    /** Tried again on the retry schedule, then dead. */
    RETRY,
    /** Given up at once: the dead-letter queue, from which it can be replayed. */
    DEAD,
    /** Done without sending; never retried. */
    SKIP
  }

  private final String code;
  private final String detailPrefix;
  private final String detailSuffix;
  private final Disposition disposition;

  DeliveryError(String code, Disposition disposition) {
    this(code, ": ", "", disposition);
  }

  DeliveryError(String code, String detailPrefix, String detailSuffix, Disposition disposition) {
    this.code = code;
    this.detailPrefix = detailPrefix;
    this.detailSuffix = detailSuffix;
    this.disposition = disposition;
  }

  /** The wire code, as documented. */
  public String code() {
    return code;
  }

  public Disposition disposition() {
    return disposition;
  }

  /** This error without a detail. */
  public DeliveryFailure failure() {
    return new DeliveryFailure(this, null);
  }

  /** This error with {@code detail} (null for none). */
  public DeliveryFailure with(String detail) {
    return new DeliveryFailure(this, detail);
  }

  /** The written form with {@code detail}. */
  String write(String detail) {
    return detail == null ? code : code + detailPrefix + detail + detailSuffix;
  }

  /**
   * The detail of {@code written} when it is this error's written form with a detail; null when it
   * is not (nor when it is the bare code).
   */
  String detailOf(String written) {
    String head = code + detailPrefix;
    return written.startsWith(head) && written.endsWith(detailSuffix)
        && written.length() >= head.length() + detailSuffix.length()
        ? written.substring(head.length(), written.length() - detailSuffix.length()) : null;
  }
}
