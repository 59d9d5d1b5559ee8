package dev.postbackrelay.common;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The request vocabulary of {@code /click} and {@code /postback}: every parameter either route
 * reads, its canonical name first and then the aliases networks send, in the order they are tried
 * (the first present and not blank wins), and the limits on what the routes keep of the rest.
 *
 * <p>This is the one declaration: the routes read their parameters through it, the names they
 * consume (everything else is kept as an extra parameter) are derived from it, the reason
 * sentences that list aliases are built from it, and a check compares it with the alias lists of
 * {@code docs/openapi.yaml}. Adding an alias is one edit here and one in that document.
 */
public enum Param {
  // -- the click and its campaign
  CLICK_ID(Route.POSTBACK, "click_id", "clickid", "cid", "subid", "sub_id", "cnv_id"),
  /** The click id or the txid, depending on the campaign; never an alias of either. */
  TRANSACTION_ID(Route.POSTBACK, "transaction_id"),
  CAMPAIGN_ID(Route.BOTH, "campaign_id"),
  AFFILIATE_ID(Route.BOTH, "affiliate_id", "ref_id"),
  /** How {@code /click} answers (redirect or JSON). */
  FORMAT(Route.CLICK, "format"),

  // -- what converted
  EVENT(Route.POSTBACK, "event", "goal", "type", "et"),
  STATUS(Route.POSTBACK, "status", "cnv_status", "conv_status"),
  TXID(Route.POSTBACK, "txid", "tid", "order_id", "action_id"),
  CUSTOMER_ID(Route.POSTBACK, "customer_id"),
  NEW_CUSTOMER(Route.POSTBACK, "new_customer"),

  // -- money
  AMOUNT(Route.POSTBACK, "amount", "sum", "sale_amount"),
  PAYOUT(Route.POSTBACK, "payout", "commission", "revenue"),
  CURRENCY(Route.POSTBACK, "currency", "cnv_currency"),
  CONVERSION_RATE(Route.POSTBACK, "conversion_rate"),

  // -- status words declared in the URL (Keitaro, Scaleo): status=X means what these say X means
  LEAD_STATUS(Route.POSTBACK, "lead_status"),
  SALE_STATUS(Route.POSTBACK, "sale_status"),
  REBILL_STATUS(Route.POSTBACK, "rebill_status"),
  REJECTED_STATUS(Route.POSTBACK, "rejected_status"),
  CHARGEBACK_STATUS(Route.POSTBACK, "chargeback_status"),

  // -- credentials and the reply
  TOKEN(Route.POSTBACK, "token", "secret", "key", "security_token"),
  TS(Route.POSTBACK, "ts"),
  SIG(Route.POSTBACK, "sig"),
  RETURN(Route.POSTBACK, "return");

  /** Extra (unreserved) parameters kept per click or postback; the rest are dropped. */
  public static final int MAX_EXTRA = 40;
  /** Longest name of an extra parameter that is kept. */
  public static final int MAX_EXTRA_NAME = 64;
  /** Values are kept up to this many characters. */
  public static final int MAX_VALUE = 512;
  /** Values that become storage keys (txid, customer_id): well inside DynamoDB's 1 KiB sort-key limit. */
  public static final int MAX_KEY = 128;

  /** Which route reads a parameter. */
  public enum Route { CLICK, POSTBACK, BOTH }

  private final Route route;
  private final List<String> names;

  Param(Route route, String... names) {
    this.route = route;
    this.names = List.of(names);
  }

  /** The canonical name. */
  public String canonical() {
    return names.get(0);
  }

  /** The aliases, in the order they are tried after the canonical name. */
  public List<String> aliases() {
    return names.subList(1, names.size());
  }

  /** The canonical name, then the aliases: the order {@link Params#first(Param)} tries them in. */
  public List<String> names() {
    return names;
  }

  String[] nameArray() {
    return names.toArray(String[]::new);
  }

  public boolean readBy(Route r) {
    return route == Route.BOTH || route == r;
  }

  /** Every name {@code route} reads: what it does not keep as an extra parameter. */
  public static Set<String> reserved(Route route) {
    Set<String> names = new LinkedHashSet<>();
    EnumSet.allOf(Param.class).stream().filter(p -> p.readBy(route)).forEach(p -> names.addAll(p.names));
    return Collections.unmodifiableSet(names);
  }

  /** The parameter one of whose names is {@code name} (already normalised), if any. */
  public static Optional<Param> named(String name) {
    return Arrays.stream(values()).filter(p -> p.names.contains(name)).findFirst();
  }
}
