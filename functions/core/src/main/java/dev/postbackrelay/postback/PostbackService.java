package dev.postbackrelay.postback;

import dev.postbackrelay.campaign.Campaign;
import dev.postbackrelay.campaign.CampaignRules;
import dev.postbackrelay.campaign.CampaignStore;
import dev.postbackrelay.click.Click;
import dev.postbackrelay.click.ClickIds;
import dev.postbackrelay.click.ClickStore;
import dev.postbackrelay.common.ConversionStatus;
import dev.postbackrelay.common.Masking;
import dev.postbackrelay.common.Param;
import dev.postbackrelay.common.Params;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.net.Cidr;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Accepts postbacks at the edge: checks everything that can be checked without attribution
 * (shape, macros, click-id integrity, campaign credentials), then hands the postback to the
 * conversion queue. It acknowledges only what the queue has durably taken.
 *
 * <p>The click is read here only when the postback does not name its campaign, to know which
 * campaign's credentials apply.
 *
 * <p>A signed postback (its campaign has a signing secret) may not repeat a parameter name: its
 * string to sign is sorted, so {@code a=1&a=2} and {@code a=2&a=1} carry the same signature but,
 * first value winning, mean different things. Once every other check has passed, and right before
 * the enqueue, its signature is claimed in the {@link SignatureReplayStore} until its {@code ts}
 * plus {@link PostbackSignature#WINDOW} (the last moment the signature could still be fresh); a
 * signature already claimed is refused as {@link Reason#REPLAYED_SIGNATURE}. If the enqueue fails
 * the claim is released, so the sender can retry the very same request. Unsigned postbacks never
 * touch the replay store.
 */
public final class PostbackService {

  /** Every name the postback reads; the rest are kept as extra parameters. */
  private static final Set<String> CONSUMED = Param.reserved(Param.Route.POSTBACK);
  private static final Set<String> ISO_CURRENCIES = Currency.getAvailableCurrencies().stream()
      .map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());
  private static final Pattern EVENT_NAME = Pattern.compile("[a-z0-9_.:-]{1,64}");
  /** ASCII digits, one optional fraction and a short exponent: what {@link #decimal} parses at all. */
  private static final Pattern DECIMAL_TEXT =
      Pattern.compile("\\+?[0-9]{1,40}(\\.[0-9]{0,40})?([eE][+-]?[0-9]{1,3})?|\\+?\\.[0-9]{1,40}");

  private final CampaignStore campaigns;
  private final ClickStore clicks;
  private final GoneClickCampaigns conversions;
  private final ClickIds clickIds;
  private final ConversionQueue queue;
  private final SignatureReplayStore replays;
  private final PostbackIds postbackIds;
  private final Clock clock;

  /**
   * @param conversions read only when a postback without {@code campaign_id} names a click that has
   *     expired from the store: its conversions still say which campaign it belonged to
   * @param replays written once per signed postback, never for unsigned ones
   */
  public PostbackService(CampaignStore campaigns, ClickStore clicks, GoneClickCampaigns conversions,
      ClickIds clickIds, ConversionQueue queue, SignatureReplayStore replays, PostbackIds postbackIds, Clock clock) {
    this.replays = replays;
    this.campaigns = campaigns;
    this.clicks = clicks;
    this.conversions = conversions;
    this.clickIds = clickIds;
    this.queue = queue;
    this.postbackIds = postbackIds;
    this.clock = clock;
  }

  /**
   * Validates, authenticates and queues a postback.
   *
   * @return the queued postback (its id is what the sender is told)
   * @throws RejectedException for anything the sender must fix; nothing was queued
   * @throws dev.postbackrelay.common.QueueUnavailableException when the queue did not take it
   */
  public Postback accept(InboundPostback in) {
    return accept(in, EdgeCheck.Trace.NONE);
  }

  /**
   * {@link #accept(InboundPostback)}, reporting each {@link EdgeCheck} to {@code trace} as it
   * passes: what the dry run shows. Built on a queue and replay store that write nothing, it
   * writes nothing either.
   */
  public Postback accept(InboundPostback in, EdgeCheck.Trace trace) {
    Campaign[] resolved = new Campaign[1];
    try {
      return accept(in, resolved, trace);
    } catch (RejectedException e) {
      throw resolved[0] == null ? e : e.forCampaign(resolved[0].id());
    }
  }

  /** {@link #accept(InboundPostback)}, leaving the campaign in {@code resolved[0]} as soon as it is known. */
  private Postback accept(InboundPostback in, Campaign[] resolved, EdgeCheck.Trace trace) {
    Params p = in.params();
    Macros.findUnsubstituted(p.asMap()).ifPresent(m -> {
      throw new RejectedException(Reason.UNSUBSTITUTED_MACRO,
          "Parameter '" + m.getKey() + "' holds the unsubstituted macro " + m.getValue()
              + ": configure the sender to replace it with the real value.", m.getKey(), m.getValue());
    });
    trace.passed(EdgeCheck.MACROS, true, "no parameter holds an unsubstituted macro");

    Campaign campaign = p.first(Param.CAMPAIGN_ID).map(this::campaign).orElse(null);
    resolved[0] = campaign;
    trace.passed(EdgeCheck.CAMPAIGN, campaign != null, campaign == null
        ? "no campaign_id: the click names the campaign"
        : "campaign " + campaign.id() + " exists and is " + campaign.status().code());
    String clickId = clickId(p, campaign);
    String customerId = p.first(Param.CUSTOMER_ID).map(c -> key(Param.CUSTOMER_ID, c)).orElse(null);
    if (clickId == null && (customerId == null || campaign == null)) {
      throw new RejectedException(Reason.MISSING_CLICK_ID, customerId == null
          ? Reason.MISSING_CLICK_ID.sentence()
          : "A postback with customer_id and no click id must also name campaign_id.");
    }
    if (clickId != null && !clickIds.verify(clickId)) {
      throw new RejectedException(Reason.MALFORMED_CLICK_ID);
    }
    trace.passed(EdgeCheck.CLICK_ID, clickId != null, clickId != null
        ? "click id " + clickId + " (from '" + clickIdName(p) + "') carries this relay's signature"
        : "no click id: customer " + customerId + " is looked up among the campaign's lifetime customers");
    if (campaign == null) {
      String campaignId = clicks.find(clickId).map(Click::campaignId)
          .or(() -> conversions.campaignOfGoneClick(clickId))
          .orElseThrow(() -> new RejectedException(Reason.UNKNOWN_CLICK));
      campaign = campaign(campaignId);
      trace.passed(EdgeCheck.CLICK, true, "the click belongs to campaign " + campaign.id() + ", which is "
          + campaign.status().code());
    } else {
      trace.passed(EdgeCheck.CLICK, false, "the postback names its campaign; the click is read by attribution");
    }
    resolved[0] = campaign;
    Set<Postback.Authentication> authenticatedBy = authenticate(campaign, in, trace);

    Instant now = clock.instant();
    Postback postback = Postback.builder()
        .postbackId(postbackIds.next(now))
        .receivedAt(now)
        .sourceIp(in.sourceIp())
        .clickId(clickId)
        .campaignId(campaign.id())
        .affiliateId(p.first(Param.AFFILIATE_ID).orElse(null))
        .event(event(p))
        .txid(key(Param.TXID, txid(p, campaign)))
        .amount(decimal(p, Param.AMOUNT))
        .payout(decimal(p, Param.PAYOUT))
        .currency(currency(p))
        .conversionRate(decimal(p, Param.CONVERSION_RATE))
        .status(status(p, campaign))
        .statusWord(p.first(Param.STATUS).orElse(null))
        .customerId(customerId)
        .newCustomer(p.first(Param.NEW_CUSTOMER)
            .map(v -> Set.of("1", "true", "yes", "y").contains(v.toLowerCase(Locale.ROOT))).orElse(false))
        .extra(extra(p))
        .authenticatedBy(authenticatedBy)
        .sent(Masking.asSent(p))
        .build();
    trace.passed(EdgeCheck.FIELDS, true, "event " + postback.event()
        + (postback.txid().isEmpty() ? ", no transaction id" : ", transaction id " + postback.txid())
        + (postback.status() == null ? ", no status" : ", status " + postback.status().code()));
    String replayKey = isSigned(campaign) ? replayKey(campaign, p) : null;
    if (replayKey != null && !replays.claim(replayKey, signatureExpiry(p), now)) {
      throw new RejectedException(Reason.REPLAYED_SIGNATURE);
    }
    trace.passed(EdgeCheck.REPLAY, replayKey != null, replayKey != null
        ? "this signature was not used before" : "unsigned: no replay record");
    try {
      queue.send(postback);
    } catch (RuntimeException e) {
      if (replayKey != null) {
        try {
          replays.release(replayKey);
        } catch (RuntimeException releaseFailed) {
          e.addSuppressed(releaseFailed); // the sender then re-signs (new ts) to retry
        }
      }
      throw e;
    }
    return postback;
  }

  private static boolean isSigned(Campaign campaign) {
    return campaign.signingSecret() != null && !campaign.signingSecret().isEmpty();
  }

  /** A SHA-256 of the campaign and the (lower-cased) signature: the replay record's key. */
  private static String replayKey(Campaign campaign, Params p) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] hash = sha.digest((campaign.id() + "\n" + p.first(Param.SIG).orElseThrow().toLowerCase(Locale.ROOT))
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** When a verified signature stops being fresh: its ts plus the window. */
  private static Instant signatureExpiry(Params p) {
    return Instant.ofEpochSecond(Long.parseLong(p.first(Param.TS).orElseThrow())).plus(PostbackSignature.WINDOW);
  }

  private Campaign campaign(String id) {
    if (!CampaignRules.isValidId(id)) {
      throw new RejectedException(Reason.UNKNOWN_CAMPAIGN);
    }
    Campaign campaign = campaigns.find(id).orElseThrow(() -> new RejectedException(Reason.UNKNOWN_CAMPAIGN));
    if (campaign.status() == Campaign.Status.ARCHIVED) {
      throw new RejectedException(Reason.CAMPAIGN_ARCHIVED);
    }
    return campaign;
  }

  /**
   * The click id from its names, or from {@code transaction_id} where the campaign says it means
   * the click id; without a known campaign, {@code transaction_id} counts as a click id only when
   * it verifies as one of ours.
   */
  private String clickId(Params p, Campaign campaign) {
    Optional<String> named = p.first(Param.CLICK_ID);
    if (named.isPresent()) {
      return named.get();
    }
    Optional<String> tx = p.first(Param.TRANSACTION_ID);
    if (tx.isEmpty()) {
      return null;
    }
    if (campaign != null) {
      return campaign.transactionIdMeans() == Campaign.TransactionIdMeans.CLICK_ID ? tx.get() : null;
    }
    return clickIds.verify(tx.get()) ? tx.get() : null;
  }

  private static String event(Params p) {
    Optional<Map.Entry<String, String>> named = p.firstNamed(Param.EVENT);
    if (named.isEmpty()) {
      return "conversion";
    }
    String event = named.get().getValue().toLowerCase(Locale.ROOT);
    if (!EVENT_NAME.matcher(event).matches()) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          "Parameter '" + named.get().getKey() + "' must be 1-64 letters, digits, '_', '.', ':' or '-'.",
          named.get().getKey(), null);
    }
    return event;
  }

  private String txid(Params p, Campaign campaign) {
    Optional<String> tx = p.first(Param.TXID);
    if (tx.isPresent()) {
      return tx.get();
    }
    if (campaign.transactionIdMeans() == Campaign.TransactionIdMeans.ORDER_ID) {
      Optional<String> transactionId = p.first(Param.TRANSACTION_ID);
      if (transactionId.isPresent() && !clickIds.verify(transactionId.get())) {
        return transactionId.get();
      }
    }
    return "";
  }

  /** @return every credential the postback proved (all the campaign has; none when it asks for none) */
  private Set<Postback.Authentication> authenticate(Campaign campaign, InboundPostback in, EdgeCheck.Trace trace) {
    Set<Postback.Authentication> proved = EnumSet.noneOf(Postback.Authentication.class);
    if (!campaign.ipAllowlist().isEmpty()
        && campaign.ipAllowlist().stream().noneMatch(block -> Cidr.parse(block).contains(in.sourceIp()))) {
      throw new RejectedException(Reason.IP_NOT_ALLOWED);
    }
    if (!campaign.ipAllowlist().isEmpty()) {
      proved.add(Postback.Authentication.IP_ALLOWLIST);
    }
    trace.passed(EdgeCheck.IP_ALLOWLIST, !campaign.ipAllowlist().isEmpty(), campaign.ipAllowlist().isEmpty()
        ? "the campaign has no IP allowlist" : in.sourceIp() + " is inside the campaign's allowlist");
    if (campaign.postbackToken() != null && !campaign.postbackToken().isEmpty()) {
      String sent = in.params().first(Param.TOKEN).orElse("");
      if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
          campaign.postbackToken().getBytes(StandardCharsets.UTF_8))) {
        throw new RejectedException(Reason.BAD_TOKEN);
      }
      proved.add(Postback.Authentication.TOKEN);
    }
    trace.passed(EdgeCheck.TOKEN, proved.contains(Postback.Authentication.TOKEN),
        proved.contains(Postback.Authentication.TOKEN) ? "the token matches the campaign's"
            : "the campaign sets no postback token");
    if (isSigned(campaign)) {
      if (!in.params().repeatedNames().isEmpty()) {
        throw new RejectedException(Reason.INVALID_PARAMETER, "A signed postback may not repeat a parameter name: '"
            + in.params().repeatedNames().iterator().next() + "' is sent more than once (names compared case-insensitively).",
            in.params().repeatedNames().iterator().next(), null);
      }
      PostbackSignature.problem(campaign.signingSecret(), in, clock.instant()).ifPresent(problem -> {
        throw new RejectedException(Reason.BAD_SIGNATURE, problem);
      });
      proved.add(Postback.Authentication.SIGNATURE);
    }
    trace.passed(EdgeCheck.SIGNATURE, isSigned(campaign), isSigned(campaign)
        ? "the signature matches and its ts is inside the " + PostbackSignature.WINDOW.toMinutes() + "-minute window"
        : "the campaign sets no signing secret");
    return proved;
  }

  /** The parameter name the click id was read from. */
  private static String clickIdName(Params p) {
    return p.firstNamed(Param.CLICK_ID).map(Map.Entry::getKey).orElse(Param.TRANSACTION_ID.canonical());
  }

  private static BigDecimal decimal(Params p, Param param) {
    Optional<Map.Entry<String, String>> named = p.firstNamed(param);
    if (named.isEmpty()) {
      return null;
    }
    String raw = named.get().getValue().replace(',', '.');
    try {
      if (!DECIMAL_TEXT.matcher(raw).matches()) {
        throw new NumberFormatException(); // BigDecimal also takes non-ASCII digits and 10-digit exponents
      }
      BigDecimal value = new BigDecimal(raw);
      if (value.signum() < 0 || value.precision() - value.scale() > 15 || value.scale() > 8) {
        throw new NumberFormatException();
      }
      return value.stripTrailingZeros();
    } catch (NumberFormatException e) {
      throw new RejectedException(Reason.INVALID_AMOUNT,
          "Parameter '" + named.get().getKey() + "' must be a non-negative decimal number such as 12.50.",
          named.get().getKey(), null);
    }
  }

  private static String currency(Params p) {
    Optional<String> currency = p.first(Param.CURRENCY);
    if (currency.isEmpty()) {
      return null;
    }
    String c = currency.get().toUpperCase(Locale.ROOT);
    if (!c.matches("[A-Z]{3}") || !ISO_CURRENCIES.contains(c)) {
      throw new RejectedException(Reason.INVALID_CURRENCY);
    }
    return c;
  }

  private static ConversionStatus status(Params p, Campaign campaign) {
    Optional<String> word = p.first(Param.STATUS);
    if (word.isEmpty()) {
      return null;
    }
    return StatusWords.map(word.get(), campaign.statusMap(), p)
        .orElseThrow(() -> new RejectedException(Reason.UNKNOWN_STATUS,
            "The status '" + cap(word.get()) + "' is not recognised; use pending, approved, rejected or chargeback,"
                + " or map it with sale_status=, lead_status=, rejected_status= or the campaign's status map.",
            "status", null));
  }

  private static Map<String, String> extra(Params p) {
    Map<String, String> extra = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : p.asMap().entrySet()) {
      if (!CONSUMED.contains(e.getKey()) && extra.size() < Param.MAX_EXTRA && e.getKey().length() <= Param.MAX_EXTRA_NAME) {
        extra.put(e.getKey(), cap(e.getValue()));
      }
    }
    return extra;
  }

  private static String key(Param param, String value) {
    String name = param.canonical();
    if (value.length() > Param.MAX_KEY || value.chars().anyMatch(Character::isISOControl)) {
      throw new RejectedException(Reason.INVALID_PARAMETER,
          name + " must be at most " + Param.MAX_KEY + " characters without control characters.", name, null);
    }
    return value;
  }

  private static String cap(String value) {
    return Params.truncate(value, Param.MAX_VALUE);
  }
}
